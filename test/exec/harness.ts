import { execa } from 'execa';
import { expect } from 'vitest';
import type { SpawnOptions } from '../../src/exec/client-exec.js';
import type { SessionProcess } from '../../src/exec/remote-process.js';
import type { StoredEvent } from '../../src/contract/events.js';
import { SessionClient } from '../../src/control/client.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

/** A daemon of its own with one session (`id`), a client of it, and teardown that proves every pid gone. */
export async function sessionWithClient(id: string, children?: readonly { name: string; command: string; args?: string[]; stdin?: 'pipe' }[], daemonFlags: readonly string[] = []) {
  const h = new Harness();
  const client = new SessionClient({ home: h.home, autoStart: true });
  const close = async () => {
    client.close();
    await h.teardown();
  };
  try {
    if (daemonFlags.length) await h.cli(['daemon', 'start', ...daemonFlags]);
    h.noteSession(await client.create({ id, ...(children ? { children: children.map((c) => ({ ...c })) } : {}) }));
    h.noteDaemon();
  } catch (error) {
    // The caller never gets the teardown: the daemon started for it is stopped here.
    await close();
    throw error;
  }
  return {
    h,
    client,
    /** The events of the session so far. */
    events: async (): Promise<StoredEvent[]> => {
      const seen: StoredEvent[] = [];
      await client.events({ session: id }, (e) => seen.push(e));
      return seen;
    },
    /** The pid of the exec of `program` that started, once it has. */
    execPid: (program: string): Promise<number> =>
      waitFor(async () => {
        const seen: StoredEvent[] = [];
        await client.events({ session: id }, (e) => seen.push(e));
        return seen.find((e) => e.type === 'exec.started' && e.program === program)?.pid as number | undefined;
      }, `exec of ${program} to start`),
    /** `sessionctl exec` as a process of its own, not awaited. */
    spawnCli: (args: readonly string[]) => execa(process.execPath, [SESSIONCTL, '--home', h.home, 'exec', id, ...args], { reject: false, stdin: 'pipe' }),
    close,
  };
}

/** A program on a tty of 80x24 sees that size, then 120x40 after a resize (SIGWINCH); closing it, its caller goes. Resolves with its pid. */
export async function resizedAndClosed(spawn: (argv: string[], options: SpawnOptions) => Promise<SessionProcess>): Promise<number> {
  const proc = await spawn(['sh', '-c', 'trap "stty size" WINCH; stty size; while :; do sleep 0.1; done'], { tty: { cols: 80, rows: 24 } });
  let screen = '';
  proc.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  await waitFor(() => screen.includes('24 80'), 'the first size');
  proc.resize(120, 40);
  await waitFor(() => screen.includes('40 120'), 'the new size');
  proc.close();
  await expect(proc.wait()).rejects.toThrow(/closed before the process ended/);
  return proc.pid!;
}
