import type { Kysely } from 'kysely';
import type { CaseDetail, CreateCaseInput } from '../../contracts/case.schema.ts';
import type { LocateResult } from '../../contracts/locate.schema.ts';
import { chinaDateOf } from '../../domain/calendar/work-calendar.ts';
import { initialState } from '../../domain/case/case-policy.ts';
import type { CaseEvent } from '../../domain/case/case-workflow.ts';
import type { Clock, IdSource } from '../../domain/shared/clock.ts';
import { DomainError } from '../../domain/shared/domain-error.ts';
import { findCategory, type CatalogueVersion } from '../../domain/taxonomy/catalogue.ts';
import type { Category } from '../../domain/taxonomy/category.ts';
import { isUsedIdempotencyKey } from '../../db/repositories/case-intake.repository.ts';
import { idempotencyRepository } from '../../db/repositories/idempotency.repository.ts';
import type { CaseListRow } from '../../db/repositories/case.repository.ts';
import type { CaseRow, DB } from '../../db/schema.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Principal } from '../identity/principal.ts';
import { assertRegionInScope } from '../scope/scope-guard.ts';
import type { LocateService } from '../spatial/locate.service.ts';
import { suggestionFor } from '../taxonomy/suggestion.ts';
import { badField, requestHash } from './case-create.ts';
import { startStage } from './case-clock.ts';
import type { IntakeSource } from './case.service.ts';
import { toDetail } from './case-view.ts';
import { createIntakeBatcher, type FileOutcome } from './intake-batcher.ts';
import { matchRules, type IntakeCache } from './intake-cache.ts';

/** Where a report lies and what it is about, checked: an active category, a point inside the jurisdiction. */
export interface IntakePlace {
  category: Category;
  loc: LocateResult;
  regionCode: string;
}

/** The checks every intake channel makes before writing (400 naming the field, or 403 out of scope). */
export async function checkIntake(
  locate: LocateService,
  catalogue: CatalogueVersion,
  source: Pick<IntakeSource, 'principal'>,
  input: Pick<CreateCaseInput, 'categoryCode' | 'location'>,
): Promise<IntakePlace> {
  const category = findCategory(catalogue, input.categoryCode);
  if (!category || !category.active) {
    throw badField('body.categoryCode', 'not_found', 'category.not_found', { code: input.categoryCode });
  }
  const [loc] = await locate.locateMany([input.location]);
  const regionCode = loc?.community?.code ?? loc?.street?.code ?? loc?.district?.code;
  if (!loc || !loc.inside || !regionCode) {
    throw badField('body.location', 'outside_jurisdiction', 'case.location_outside', {
      nearest: loc?.nearest ?? null,
    });
  }
  if (source.principal) assertRegionInScope(source.principal, regionCode);
  return { category, loc, regionCode };
}

const ATTEMPTS = 3;

/** A staff member filing a report: the role in the timeline and the principal whose scope the place must be in. */
type StaffSource = IntakeSource & { role: NonNullable<IntakeSource['role']>; principal: Principal };

/**
 * A staff member's report, answered with the case detail. The catalogue, calendar and responsibility list come
 * from the intake cache (the suggested department too); one statement writes the case with the reports that
 * arrived together (intake-batcher.ts, case-intake.repository.ts); the answer is built here from what was written,
 * with what only the database knows filled in by the statement — the detail `GET /cases/:id` then returns.
 * Reports with photos go through the transactional intake instead (the photos are linked in its transaction).
 */
export function createCaseIntake(deps: {
  db: Kysely<DB>;
  clock: Clock;
  ids: IdSource;
  locate: LocateService;
  cache: IntakeCache;
  cipher: FieldCipher;
  /** The events the reporter may send on the new case (the service's own rule). */
  allowedEvents: (row: CaseRow, role: NonNullable<IntakeSource['role']>, now: Date) => Promise<CaseEvent[]>;
  /** The case detail as `GET /cases/:id` shows it to the reporter (for a retry's answer). */
  render: (principal: Principal, id: string) => Promise<CaseDetail>;
}) {
  const { db, clock, ids, locate, cache, cipher } = deps;
  const batcher = createIntakeBatcher({ db });

  /**
   * A retry with a key already used for this body: answered with the case it made, as it is now (the key names the
   * case rather than holding a copy of the first answer; keys stored with a whole answer are answered with it).
   */
  async function replay(source: StaffSource, key: string, hash: string): Promise<CaseDetail> {
    const prior = await idempotencyRepository.find(db, key, source.idempotencyScope);
    if (!prior || prior.request_hash !== hash || prior.response == null) {
      throw new DomainError('idempotency.mismatch', 'the Idempotency-Key was used for another request', {
        key,
      });
    }
    const stored = (typeof prior.response === 'string' ? JSON.parse(prior.response) : prior.response) as
      CaseDetail | { caseId: string };
    return 'caseId' in stored ? deps.render(source.principal, stored.caseId) : stored;
  }

  return {
    async file(
      source: StaffSource,
      input: CreateCaseInput,
      idempotencyKey: string | undefined,
    ): Promise<CaseDetail> {
      const hash = requestHash(input);
      for (let attempt = 1; ; attempt++) {
        const basis = await cache.basis();
        const { category, loc, regionCode } = await checkIntake(locate, basis.catalogue, source, input);
        // The list is in memory; only a category and place no rule covers asks the database (for a hint's match).
        const regions = [loc.grid?.code, loc.community?.code, loc.street?.code, loc.district?.code];
        const matched = matchRules(
          basis.rules,
          category.code,
          regions.filter((c): c is string => !!c),
        );
        const departmentId = (await suggestionFor(db, category, loc, matched)).departmentId;
        const now = clock.now();
        const id = ids.uuid();
        const state = initialState(source.reporterRole);
        const clk = startStage(state, now, basis.catalogue, category.code, input.urgency, basis.calendar);
        const reporterName = input.reporter?.name ?? null;
        const reporterPhone = input.reporter?.phone ?? null;
        // The rows below are spelled out field by field rather than spread from one another: on this path, per
        // request, object spreads cost more than everything else the answer needs.
        // The case as the detail view reads it; the statement fills in the code, the community and street names
        // and the suggested department's name.
        const view: CaseListRow = {
          id,
          code: '',
          state,
          version: 1,
          category_code: category.code,
          category_version: basis.catalogue.number,
          urgency: input.urgency,
          title: input.title,
          description: input.description,
          channel: input.channel,
          lng: loc.point[0],
          lat: loc.point[1],
          address: input.address ?? null,
          grid_code: loc.grid?.code ?? null,
          community_code: loc.community?.code ?? null,
          street_code: loc.street?.code ?? null,
          district_code: loc.district?.code ?? null,
          region_code: regionCode,
          reporter_name: reporterName,
          reporter_phone: reporterPhone,
          reporter_role: source.reporterRole,
          suggested_department_id: departmentId,
          stage: clk.stage,
          stage_started_at: clk.stage_started_at,
          stage_deadline: clk.stage_deadline,
          stage_warn_at: clk.stage_warn_at,
          stage_time_kind: clk.stage_time_kind,
          suspended_at: null,
          replied_at: null,
          reply_satisfaction: null,
          reply_resolved: null,
          duplicate_of: null,
          closed_at: null,
          tracking_token_hash: null,
          created_by: source.staffId,
          created_at: now,
          updated_at: now,
          category_name: category.nameZh,
          community_name: null,
          street_name: null,
        };
        const response: CaseDetail = Object.assign(
          toDetail(view, now, {
            suggestedDepartment: null,
            tasks: [],
            timeline: [
              {
                at: now,
                actor_name: source.actorName,
                role: source.role,
                event: 'create',
                from_state: null,
                to_state: state,
                comment: null,
                payload: null,
              },
            ],
            allowedEvents: await deps.allowedEvents(view, source.role, now),
          }),
          { attachments: [] },
        );
        // The row to insert: personal fields encrypted, instants as ISO text (cheaper to serialize than Dates).
        const at = now.toISOString();
        const item = {
          row: {
            id,
            state,
            version: 1,
            category_code: view.category_code,
            category_version: view.category_version,
            urgency: view.urgency,
            title: view.title,
            description: view.description,
            channel: view.channel,
            lng: view.lng,
            lat: view.lat,
            address: view.address,
            grid_code: view.grid_code,
            community_code: view.community_code,
            street_code: view.street_code,
            district_code: view.district_code,
            region_code: regionCode,
            reporter_name: cipher.encrypt(reporterName),
            reporter_phone: cipher.encrypt(reporterPhone),
            reporter_role: source.reporterRole,
            suggested_department_id: departmentId,
            stage: clk.stage,
            stage_started_at: clk.stage_started_at && at,
            stage_deadline: clk.stage_deadline?.toISOString() ?? null,
            stage_warn_at: clk.stage_warn_at?.toISOString() ?? null,
            stage_time_kind: clk.stage_time_kind,
            created_by: source.staffId,
            created_at: at,
            updated_at: at,
          },
          event: {
            at,
            actorId: source.staffId,
            actorName: source.actorName,
            role: source.role,
            toState: state,
            payload: { channel: input.channel, categoryCode: category.code, urgency: input.urgency },
          },
          ledger: {
            state,
            version: 1 as const,
            actorId: source.staffId,
            categoryCode: category.code,
            regionCode,
          },
          idempotency: idempotencyKey
            ? { key: idempotencyKey, scope: source.idempotencyScope, requestHash: hash }
            : null,
        };
        let outcome: FileOutcome;
        try {
          outcome = await batcher.file(basis.version, chinaDateOf(now).replace(/-/g, ''), item);
        } catch (err) {
          if (idempotencyKey && isUsedIdempotencyKey(err)) {
            return replay(source, idempotencyKey, hash);
          }
          throw err;
        }
        if ('filed' in outcome) return Object.assign(response, outcome.filed);
        // The catalogue, calendar or responsibility list changed since the cache read them: read again, file anew.
        cache.invalidate();
        if (attempt >= ATTEMPTS) throw new Error('what cases are filed under kept changing during intake');
      }
    },
  };
}

export type CaseIntake = ReturnType<typeof createCaseIntake>;
