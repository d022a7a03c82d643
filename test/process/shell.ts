import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProcess, type Spawned } from '../../src/process/spawn.js';
import { readStat } from '../../src/process/proc.js';
import { waitFor } from '../helpers/proc.js';

export const fixture = (name: string) => join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', name);

/** Runs a POSIX shell script as a spawned process (its own group), output ignored. */
export function shell(script: string, env: Record<string, string> = {}): Spawned {
  return spawnProcess({ command: 'sh' }, { args: ['-c', script], env, stdout: 'ignore', stderr: 'ignore' });
}

/** Waits until `file` holds `count` pids, one a line (a script writes them with `echo $! >> file`). */
export function readPids(file: string, count: number): Promise<number[]> {
  return waitFor(() => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    const pids = text.split('\n').filter(Boolean).map(Number);
    return pids.length >= count ? pids : null;
  }, `${count} pids in ${file}`);
}

/** A pid no process can have: Linux allocates pids below pid_max. */
export function impossiblePid(): number {
  return Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
}

/** Sends init to a Node module that speaks the child protocol and waits for its ready. */
export async function handshake(proc: Spawned): Promise<void> {
  const init = { session: 'test', name: 'test', metadata: {}, llmConfig: {}, heartbeatMs: 60_000 };
  const ready = proc.subprocess.getOneMessage!({ filter: (m) => (m as { type?: string })?.type === 'sessiond:ready' });
  await proc.subprocess.sendMessage!({ type: 'sessiond:init', init });
  await ready;
}

export function comm(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * Makes `child` a zombie: once its parent has exec'd `sleep` (which never reaps the children it
 * inherited), SIGKILLs it and waits for state Z. A child that exits by itself might be reaped by
 * the shell before its exec.
 */
export async function makeZombie(parent: number, child: number): Promise<void> {
  await waitFor(() => comm(parent) === 'sleep', `pid ${parent} to exec sleep`);
  process.kill(child, 'SIGKILL');
  await waitFor(() => readStat(child)?.state === 'Z', `pid ${child} to be a zombie`);
}

/**
 * A process whose main thread has exited while another thread runs on (test/fixtures/lone-thread.py,
 * as `uid` if given): once this resolves, /proc shows it as a zombie, yet it runs.
 */
export async function loneThread(options: { uid?: number; env?: Record<string, string> } = {}): Promise<Spawned> {
  const { uid, env = {} } = options;
  const proc = spawnProcess({ command: 'python3' }, { args: [fixture('lone-thread.py'), ...(uid === undefined ? [] : [String(uid)])], env, stdout: 'ignore', stderr: 'ignore' });
  await waitFor(() => readStat(proc.pid)?.state === 'Z', `pid ${proc.pid} (python3 ${fixture('lone-thread.py')}) to end its main thread: is python3 installed (apt-get install -y python3)?`);
  return proc;
}
