import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from './connect.ts';
import { TEMPLATE_ENV } from '../../test/support/test-database.ts';
import {
  acquireDataDirLock,
  DataDirInUseError,
  LOCK_FILE,
  systemProbe,
  type DataDirLock,
  type LockHolder,
} from './data-dir-lock.ts';

let dir: string;
const locks: DataDirLock[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhizhi-lock-'));
});

afterEach(() => {
  for (const l of locks.splice(0)) l.release();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function take(): DataDirLock {
  const lock = acquireDataDirLock(dir);
  locks.push(lock);
  return lock;
}

function holderInFile(): LockHolder {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockHolder;
}

function writeLock(holder: Partial<LockHolder>): void {
  const full = { pid: 1, hostname: hostname(), identity: null, since: '2026-01-01T00:00:00.000Z', ...holder };
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(full));
}

function refusal(): DataDirInUseError {
  try {
    take();
  } catch (err) {
    expect(err).toBeInstanceOf(DataDirInUseError);
    return err as DataDirInUseError;
  }
  throw new Error('expected the lock to be refused');
}

/** A real process that lives until killed. */
async function sleeper(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child as ChildProcess & { pid: number };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('data directory lock', () => {
  it('is taken on a free directory, names this process, and is removed on release', () => {
    const lock = take();
    expect(holderInFile()).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]); // no temporary file left behind
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
    lock.release(); // idempotent
    take();
  });

  it('refuses a second opener while held, naming the holder in Chinese and English', () => {
    take();
    const err = refusal();
    expect(err.holder.pid).toBe(process.pid);
    expect(err.message).toContain(`正被进程 ${process.pid} 使用`);
    expect(err.message).toContain(`data directory ${dir} is in use by process ${process.pid}`);
    expect(holderInFile().pid).toBe(process.pid);
  });

  it('refuses while another live process holds it, and takes it over once that process was killed', async () => {
    const other = await sleeper();
    writeLock({ pid: other.pid, identity: systemProbe.identityOf(other.pid) });
    expect(refusal().holder.pid).toBe(other.pid);

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    take();
    expect(holderInFile().pid).toBe(process.pid);
  });

  it('takes over a stale lock whose process is gone (kill -9)', async () => {
    writeLock({ pid: await deadPid() });
    take();
    expect(holderInFile().pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it.runIf(process.platform === 'linux')(
    'takes over a lock whose pid now belongs to another process (pid reuse)',
    async () => {
      const other = await sleeper();
      writeLock({ pid: other.pid, identity: 'another-boot:12345' });
      take();
      expect(holderInFile().pid).toBe(process.pid);
    },
  );

  it('takes over a lock file that is not a lock (empty or garbage)', () => {
    writeFileSync(join(dir, LOCK_FILE), '');
    take().release();
    writeFileSync(join(dir, LOCK_FILE), '{"pid":');
    take();
    expect(holderInFile().pid).toBe(process.pid);
  });

  it('honours a lock taken on another host and says how to clear it', () => {
    writeLock({ pid: 4242, hostname: 'other-host.example' });
    const err = refusal();
    expect(err.message).toContain('in use by process 4242 on host other-host.example');
    expect(err.message).toContain(`delete ${join(dir, LOCK_FILE)}`);
  });

  it('does not remove a lock that is no longer its own', async () => {
    const lock = take();
    const other = await sleeper();
    writeLock({ pid: other.pid, identity: systemProbe.identityOf(other.pid) });
    lock.release();
    expect(holderInFile().pid).toBe(other.pid);
  });
});

describe('connect() on an embedded data directory', () => {
  it('refuses a second open of the same directory, and frees it on close', async () => {
    // The migrated template of the test setup spares an initdb (seconds) when present.
    const templatePath = process.env[TEMPLATE_ENV];
    const template = templatePath ? new Blob([readFileSync(templatePath)]) : undefined;
    const first = await connect({ dataDir: dir, ...(template ? { pgliteTemplate: template } : {}) });
    try {
      await expect(connect({ dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
      await first.ping();
    } finally {
      await first.close();
    }
    const again = await connect({ dataDir: dir });
    await again.ping();
    await again.close();
    expect(readdirSync(dir)).not.toContain(LOCK_FILE);
  });
});
