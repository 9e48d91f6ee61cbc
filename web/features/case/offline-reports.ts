import { useSyncExternalStore } from 'react';
import { api, ApiError } from '../../app/api.ts';
import {
  createReportQueue,
  memoryQueue,
  webStorageQueue,
  type QueuedReport,
  type QueueStorage,
  type ReportQueue,
  type SendOutcome,
} from './offline-queue.ts';

/** POST /api/v1/cases with the entry's own key; the outcome the queue decides on. */
async function sendReport(item: QueuedReport): Promise<SendOutcome> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { status: 0, reason: 'offline' };
  try {
    await api('POST', '/api/v1/cases', item.body, { 'Idempotency-Key': item.idempotencyKey });
    return { status: 201 };
  } catch (e) {
    if (e instanceof ApiError) {
      const issues = e.problem.issues?.map((i) => `${i.field} ${i.message}`).join('; ');
      return {
        status: e.status,
        reason: issues || e.problem.detail || e.problem.title || `HTTP ${e.status}`,
      };
    }
    return { status: 0, reason: e instanceof Error ? e.message : String(e) };
  }
}

function storage(): QueueStorage {
  try {
    localStorage.getItem('zhizhi.offline-reports');
    return webStorageQueue(localStorage, 'zhizhi.offline-reports', window);
  } catch {
    return memoryQueue();
  }
}

/** Tabs take turns syncing where the browser can lock (the key would absorb a double send anyway). */
function exclusive<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request('zhizhi.offline-reports', run) as Promise<T>) : run();
}

let queue: ReportQueue | null = null;

/** The browser's queue of reports waiting for the network (one per tab, backed by localStorage). */
export function reportQueue(): ReportQueue {
  queue ??= createReportQueue({ storage: storage(), send: sendReport, exclusive });
  return queue;
}

/** The signed-in user's waiting reports, re-rendering on every change (this tab's or another's). */
export function useQueuedReports(owner: string | undefined): QueuedReport[] {
  const q = reportQueue();
  const all = useSyncExternalStore(q.subscribe, q.snapshot);
  return owner ? all.filter((i) => i.owner === owner) : [];
}
