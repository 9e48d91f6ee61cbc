import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One process per embedded (PGlite) data directory. PGlite is an in-process PostgreSQL: two processes opening the
 * same directory each work on their own copy in memory and overwrite each other's files, so a write made by a CLI
 * command while the server runs is silently lost. `connect()` therefore takes this lock before PGlite opens the
 * directory and releases it after PGlite closed; every other opener — a second server, any `zhizhi` command —
 * gets a DataDirInUseError naming the holder.
 *
 * The lock is the file `zhizhi.lock` in the data directory, holding who took it: pid, hostname and, where the
 * system tells it (Linux /proc), the process's identity — boot id and start time — so that a pid reused after a
 * reboot or by another process is not mistaken for the holder. The file is made complete under a temporary name
 * and linked into place, which fails if it exists (an atomic create-if-absent, like open with 'wx', that never
 * shows a half-written file). A lock whose process is gone (`kill -9`, a crash, a power cut) is stale and taken
 * over: it is first renamed away and checked to be the stale one, so two starters racing for it do not both win.
 * A lock taken on another host cannot be checked and is honoured; the message says how to clear it.
 */

export const LOCK_FILE = 'zhizhi.lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  /** Boot id and start time of the process (Linux); null where the system does not tell. */
  identity: string | null;
  /** ISO time the lock was taken (for people reading the file). */
  since: string;
}

/** What the lock needs to know about processes; tests pass their own. */
export interface ProcessProbe {
  self(): Omit<LockHolder, 'since'>;
  /** Whether a process with this pid exists on this host. */
  isAlive(pid: number): boolean;
  /** The identity of a live process (see LockHolder), or null when unknown. */
  identityOf(pid: number): string | null;
}

export class DataDirInUseError extends Error {
  readonly code = 'data_dir.in_use';

  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    const local = holder.hostname === hostname();
    const where = local ? '' : ` on host ${holder.hostname}`;
    const whereZh = local ? ' ' : `（主机 ${holder.hostname}）`;
    const clearZh = local ? '' : `若该进程已不存在，请删除 ${lockFile}。`;
    const clear = local ? '' : ` If that process is gone, delete ${lockFile}.`;
    super(
      `数据目录 ${dataDir} 正被进程 ${holder.pid}${whereZh}使用：智治服务器或另一条命令正在运行。` +
        `请先停止它，或通过运行中服务器的 API 操作。${clearZh}\n` +
        `data directory ${dataDir} is in use by process ${holder.pid}${where}: a Zhizhi server or another ` +
        `command is running. Stop it, or use the running server's API.${clear}`,
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. Idempotent. */
  release(): void;
}

export function acquireDataDirLock(dataDir: string, probe: ProcessProbe = systemProbe): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  const mine: LockHolder = { ...probe.self(), since: new Date().toISOString() };
  const content = JSON.stringify(mine) + '\n';
  // Two tries: the second after a stale lock was cleared (or vanished while we looked at it).
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(file, content)) return held(file, content);
    const current = readLock(file);
    if (current === undefined) continue; // released between our try and our read
    if (current !== null && isHeld(current, probe)) throw new DataDirInUseError(dataDir, current, file);
    if (!clearStale(file, current)) {
      const now = readLock(file);
      if (now) throw new DataDirInUseError(dataDir, now, file);
    }
  }
  const last = readLock(file);
  throw last ? new DataDirInUseError(dataDir, last, file) : new Error(`could not lock ${dataDir}`);
}

/** Creates `file` with `content` unless it exists (link is atomic and never exposes a partial file). */
function tryCreate(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, content, { flag: 'wx', mode: 0o644 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** The holder in the lock file; null if the file is unreadable as a lock (stale), undefined if there is none. */
function readLock(file: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.hostname !== 'string') return null;
    return {
      pid: v.pid,
      hostname: v.hostname,
      identity: typeof v.identity === 'string' ? v.identity : null,
      since: String(v.since ?? ''),
    };
  } catch {
    return null;
  }
}

function isHeld(holder: LockHolder, probe: ProcessProbe): boolean {
  if (holder.hostname !== probe.self().hostname) return true; // cannot look at another host's processes
  if (!probe.isAlive(holder.pid)) return false;
  if (holder.identity === null) return true;
  const now = probe.identityOf(holder.pid);
  return now === null || now === holder.identity;
}

/**
 * Removes a stale lock: renames it to a name of our own, then checks that what we moved is the stale lock we
 * judged. If another starter replaced it meanwhile, its fresh lock is put back and false returned.
 */
function clearStale(file: string, stale: LockHolder | null): boolean {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
  const moved = readLock(aside);
  const same = stale === null ? moved === null : moved != null && sameHolder(moved, stale);
  if (!same) {
    try {
      linkSync(aside, file);
    } catch {
      // Someone locked meanwhile: theirs stands; the one we moved is reported by the caller's re-read.
    }
  }
  unlinkSync(aside);
  return same;
}

function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.identity === b.identity && a.since === b.since;
}

function held(file: string, content: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readFileSync(file, 'utf8') === content) unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
  // A process that exits without closing the database (process.exit in a command) still frees the directory.
  process.on('exit', release);
  return { file, release };
}

// --- the running system ----------------------------------------------------------------------------------------

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Linux: boot id and the start time (clock ticks since boot, field 22 of /proc/<pid>/stat). */
function linuxIdentity(pid: number | 'self'): string | null {
  const stat = readProc(`/proc/${pid}/stat`);
  const boot = readProc('/proc/sys/kernel/random/boot_id');
  if (stat === null || boot === null) return null;
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[22 - 3];
  return start ? `${boot.trim()}:${start}` : null;
}

export const systemProbe: ProcessProbe = {
  self: () => ({ pid: process.pid, hostname: hostname(), identity: linuxIdentity('self') }),
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // EPERM: it exists but belongs to another user.
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  identityOf: (pid) => linuxIdentity(pid),
};
