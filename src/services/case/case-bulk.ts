import type { Kysely } from 'kysely';
import type { BulkEventInput } from '../../contracts/case-bulk.schema.ts';
import { DomainError, isDomainError, type FieldIssue } from '../../domain/shared/domain-error.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../identity/principal.ts';
import { requirePermission } from '../scope/scope-guard.ts';
import type { CaseService } from './case.service.ts';
import { canSeeCase } from './case-scope.ts';

export interface BulkOutcome {
  caseId: string;
  ok: boolean;
  version?: number;
  departmentId?: string;
  /** For a failed item: the error code, its developer message and its field issues (the route translates). */
  code?: string;
  message?: string;
  issues?: FieldIssue[];
  details?: Record<string, unknown>;
}

/**
 * Bulk transitions (批量派遣): the same event for many cases, each through `cases.act` in its own transaction
 * with its own optimistic version check, so one case's failure (changed meanwhile, wrong state, no suggestion)
 * neither blocks nor undoes the others. The answer lists every item's outcome in request order.
 */
export function createCaseBulkService(deps: { db: Kysely<DB>; cases: CaseService }) {
  const { db, cases } = deps;

  /** The department a case is suggested for, when the caller can see the case. */
  async function suggestedOf(actor: Actor, caseId: string): Promise<string> {
    const row = await caseRepository.findById(db, caseId);
    if (!row || !(await canSeeCase(db, actor.principal, row))) {
      throw new DomainError('resource.not_found', 'case not found', { id: caseId });
    }
    if (!row.suggested_department_id) {
      throw new DomainError('validation.failed', 'the case has no suggested department', {}, [
        { field: 'body.useSuggested', reason: 'no_suggestion', message: 'case.no_suggested_department' },
      ]);
    }
    return row.suggested_department_id;
  }

  return {
    async run(actor: Actor, input: BulkEventInput): Promise<BulkOutcome[]> {
      requirePermission(actor.principal, 'case.act');
      const out: BulkOutcome[] = [];
      const seen = new Set<string>();
      for (const item of input.items) {
        if (seen.has(item.caseId)) {
          out.push({
            caseId: item.caseId,
            ok: false,
            code: 'validation.failed',
            message: 'listed twice',
            issues: [{ field: 'body.items', reason: 'duplicate', message: 'case.bulk_duplicate' }],
          });
          continue;
        }
        seen.add(item.caseId);
        try {
          const departmentId = input.useSuggested
            ? await suggestedOf(actor, item.caseId)
            : input.departmentIds![0]!;
          const detail = await cases.act(actor, item.caseId, {
            event: input.event,
            expectedVersion: item.expectedVersion,
            departmentIds: [departmentId],
            ...(input.comment ? { comment: input.comment } : {}),
          });
          out.push({ caseId: item.caseId, ok: true, version: detail.version, departmentId });
        } catch (e) {
          if (!isDomainError(e)) throw e;
          out.push({
            caseId: item.caseId,
            ok: false,
            code: e.code,
            message: e.message,
            issues: e.issues,
            details: e.details,
          });
        }
      }
      return out;
    },
  };
}

export type CaseBulkService = ReturnType<typeof createCaseBulkService>;
