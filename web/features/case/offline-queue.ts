/**
 * The offline queue of case reports (离线上报): a report whose submission failed because the network was down is
 * kept on the device with the Idempotency-Key it was first sent with, and sent again later with that key and the
 * very same body. The server answers a repeated key with the first case, so a report that did reach the server
 * before the connection dropped, or one sent by two tabs at once, still becomes exactly one case.
 *
 * Pure logic over an injected storage and sender (no React, no fetch): unit-tested in Node.
 */

export type QueuedState = 'pending' | 'failed';

export interface QueuedReport {
  /** Local id of the entry. */
  id: string;
  /** The staff member who reported it: only they may send it (the server scopes keys per staff member). */
  owner: string;
  /** Sent as `Idempotency-Key` on every attempt. */
  idempotencyKey: string;
  /** The request body, sent unchanged on every attempt (the server compares its hash). */
  body: unknown;
  /** Shown in the list of waiting reports. */
  title: string;
  queuedAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  state: QueuedState;
  /** Why the last attempt failed (the server's text, or the network error). */
  error: string | null;
}

export interface QueueStorage {
  /** The entries; returns the same array while nothing changed (React snapshots rely on it). */
  read(): readonly QueuedReport[];
  write(items: readonly QueuedReport[]): void;
  /** Changes made elsewhere (another tab). */
  subscribe?(onChange: () => void): () => void;
}

/** One attempt's outcome: the HTTP status (0 = no answer: offline, DNS, connection reset) and a reason. */
export interface SendOutcome {
  status: number;
  reason?: string;
}

export type Sender = (item: QueuedReport) => Promise<SendOutcome>;

/** done: remove it; retry: keep it for the next sync; fail: keep it marked failed with the reason. */
export function outcomeKind(status: number): 'done' | 'retry' | 'fail' {
  if (status >= 200 && status < 300) return 'done';
  // No answer, signed out, timeouts, throttling and server trouble may pass; other refusals will not.
  if (status === 0 || status === 401 || status === 408 || status === 425 || status === 429) return 'retry';
  if (status >= 500) return 'retry';
  return 'fail';
}

/** Whether a failed submission means "no network" (so the report belongs in the queue). */
export function isNetworkFailure(error: unknown, online: boolean): boolean {
  if (!online) return true;
  if (error instanceof TypeError) return true; // fetch's own network error
  const e = error as { status?: unknown; problem?: { code?: unknown } } | null;
  return e?.status === 0 || e?.problem?.code === 'network';
}

export interface SyncResult {
  sent: number;
  failed: number;
  /** Still pending for this owner afterwards. */
  remaining: number;
}

function parse(raw: string | null): QueuedReport[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value)
      ? value.filter(
          (x): x is QueuedReport =>
            !!x &&
            typeof x === 'object' &&
            typeof (x as QueuedReport).id === 'string' &&
            typeof (x as QueuedReport).idempotencyKey === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** Storage in `localStorage` (durable across reloads and restarts of the browser; shared by the tabs). */
export function webStorageQueue(
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  key = 'zhizhi.offline-reports',
  events?: Pick<Window, 'addEventListener' | 'removeEventListener'>,
): QueueStorage {
  let lastRaw: string | null | undefined;
  let last: QueuedReport[] = [];
  return {
    read() {
      const raw = storage.getItem(key);
      if (raw !== lastRaw) {
        lastRaw = raw;
        last = parse(raw);
      }
      return last;
    },
    write(items) {
      // A full or unavailable storage must be noticed: the caller then keeps the report on screen.
      storage.setItem(key, JSON.stringify(items));
    },
    subscribe(onChange) {
      if (!events) return () => {};
      const listener = (e: Event) => {
        if ((e as StorageEvent).key === key || (e as StorageEvent).key === null) onChange();
      };
      events.addEventListener('storage', listener);
      return () => events.removeEventListener('storage', listener);
    },
  };
}

/** Storage in memory (tests, or a browser without localStorage: lost on reload). */
export function memoryQueue(): QueueStorage {
  let items: readonly QueuedReport[] = [];
  return {
    read: () => items,
    write: (next) => {
      items = [...next];
    },
  };
}

export interface ReportQueueOptions {
  storage: QueueStorage;
  send: Sender;
  now?: () => Date;
  newId?: () => string;
  /** Runs a sync exclusively across tabs (navigator.locks); by default only within this queue. */
  exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

export function createReportQueue(opts: ReportQueueOptions) {
  const { storage, send } = opts;
  const now = opts.now ?? (() => new Date());
  const newId = opts.newId ?? (() => crypto.randomUUID());
  const exclusive = opts.exclusive ?? ((run) => run());
  const listeners = new Set<() => void>();
  const running = new Map<string, Promise<SyncResult>>();

  const notify = () => listeners.forEach((l) => l());
  storage.subscribe?.(notify);

  function update(id: string, change: (item: QueuedReport) => QueuedReport | null): void {
    const items = storage.read();
    const next: QueuedReport[] = [];
    for (const item of items) {
      if (item.id !== id) next.push(item);
      else {
        const changed = change(item);
        if (changed) next.push(changed);
      }
    }
    storage.write(next);
    notify();
  }

  const pendingOf = (owner: string) =>
    storage.read().filter((i) => i.owner === owner && i.state === 'pending');

  async function run(owner: string): Promise<SyncResult> {
    let sent = 0;
    let failed = 0;
    for (const { id } of pendingOf(owner)) {
      // Re-read: another tab may have sent or discarded it meanwhile.
      const item = storage.read().find((i) => i.id === id);
      if (!item || item.state !== 'pending') continue;
      let outcome: SendOutcome;
      try {
        outcome = await send(item);
      } catch (e) {
        outcome = { status: 0, reason: e instanceof Error ? e.message : String(e) };
      }
      const kind = outcomeKind(outcome.status);
      const at = now().toISOString();
      if (kind === 'done') {
        update(id, () => null);
        sent++;
        continue;
      }
      update(id, (i) => ({
        ...i,
        attempts: i.attempts + 1,
        lastAttemptAt: at,
        state: kind === 'fail' ? 'failed' : 'pending',
        error: outcome.reason ?? `HTTP ${outcome.status}`,
      }));
      if (kind === 'fail') failed++;
      // Still offline or signed out: the others would fail the same way; try again later.
      else if (outcome.status === 0 || outcome.status === 401) break;
    }
    return { sent, failed, remaining: pendingOf(owner).length };
  }

  return {
    /** The entries of one owner, oldest first. */
    items(owner: string): QueuedReport[] {
      return storage.read().filter((i) => i.owner === owner);
    },

    /** All entries as stored (a stable reference while nothing changes). */
    snapshot(): readonly QueuedReport[] {
      return storage.read();
    },

    /** Keeps a report for later; `idempotencyKey` is the key its first attempt used, if any. */
    enqueue(owner: string, body: unknown, title: string, idempotencyKey?: string): QueuedReport {
      const item: QueuedReport = {
        id: newId(),
        owner,
        idempotencyKey: idempotencyKey ?? newId(),
        body: JSON.parse(JSON.stringify(body)) as unknown,
        title,
        queuedAt: now().toISOString(),
        attempts: 0,
        lastAttemptAt: null,
        state: 'pending',
        error: null,
      };
      storage.write([...storage.read(), item]);
      notify();
      return item;
    },

    /** A failed entry goes back to pending (same key and body). */
    retry(id: string): void {
      update(id, (i) => ({ ...i, state: 'pending', error: null }));
    },

    discard(id: string): void {
      update(id, () => null);
    },

    /**
     * Sends the owner's pending entries in order. Calls made while one runs share it, and with `exclusive` two
     * tabs take turns; should both send an entry anyway, its key makes the second answer the first case.
     */
    sync(owner: string): Promise<SyncResult> {
      const current = running.get(owner);
      if (current) return current;
      const started = exclusive(() => run(owner)).finally(() => running.delete(owner));
      running.set(owner, started);
      return started;
    },

    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type ReportQueue = ReturnType<typeof createReportQueue>;
