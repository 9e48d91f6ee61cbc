import type { CaseEvent } from '../../domain/case/case-workflow.ts';
import type { TimeLimit } from '../../domain/sla/time-limit.ts';
import type { Executor } from '../../db/executor.ts';
import { caseRepository } from '../../db/repositories/case.repository.ts';
import type { CaseRow } from '../../db/schema.ts';
import type { Principal } from '../identity/principal.ts';

/** The extension (延期) most recently requested on the case's timeline. */
export async function requestedExtension(ex: Executor, id: string): Promise<TimeLimit | null> {
  const events = await caseRepository.timeline(ex, id);
  const last = [...events].reverse().find((e) => e.event === 'request_extension');
  const pl = (typeof last?.payload === 'string' ? JSON.parse(last.payload) : last?.payload) as
    { extension?: { amount: number; unit: TimeLimit['unit'] } } | undefined;
  return pl?.extension ? { stage: 'handle', urgency: 'normal', ...pl.extension } : null;
}

/** Departments' shares (case_task) follow the workflow: dispatch, accept, return, handle, rework. */
export async function applyTasks(
  ex: Executor,
  row: CaseRow,
  event: CaseEvent,
  departmentIds: readonly string[],
  p: Principal,
  at: Date,
): Promise<void> {
  const own = p.scope.departmentId ? { departmentId: p.scope.departmentId } : {};
  switch (event) {
    case 'dispatch':
    case 'co_dispatch':
      if (row.state === 'in_progress') {
        for (const d of departmentIds) {
          if (!(await caseRepository.hasTask(ex, row.id, d))) {
            await caseRepository.upsertTask(ex, {
              caseId: row.id,
              departmentId: d,
              state: 'dispatched',
              lead: false,
              at,
            });
          }
        }
        return;
      }
      await caseRepository.setTaskState(ex, row.id, 'cancelled', at, { exceptDepartments: departmentIds });
      for (const [i, d] of departmentIds.entries()) {
        await caseRepository.upsertTask(ex, {
          caseId: row.id,
          departmentId: d,
          state: 'dispatched',
          lead: i === 0,
          at,
        });
      }
      return;
    case 'reject_return':
      return caseRepository.setTaskState(ex, row.id, 'dispatched', at, { fromStates: ['returned'] });
    case 'accept':
      return caseRepository.setTaskState(ex, row.id, 'accepted', at, {
        ...own,
        fromStates: ['dispatched'],
      });
    case 'return':
      return caseRepository.setTaskState(ex, row.id, 'returned', at, {
        ...own,
        fromStates: ['dispatched', 'accepted'],
      });
    case 'handle':
      return caseRepository.setTaskState(ex, row.id, 'done', at, {
        ...own,
        fromStates: ['accepted', 'dispatched', 'rework'],
      });
    case 'check_fail':
    case 'reject_close':
      return caseRepository.setTaskState(ex, row.id, 'rework', at, { fromStates: ['done'] });
    default:
      return;
  }
}
