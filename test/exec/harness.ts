import { execa } from 'execa';
import type { StoredEvent } from '../../src/contract/events.js';
import { SessionClient } from '../../src/control/client.js';
import { Harness, SESSIONCTL } from '../cli/harness.js';
import { waitFor } from '../helpers/proc.js';

/** A daemon of its own with one session (`id`), a client of it, and teardown that proves every pid gone. */
export async function sessionWithClient(id: string, children?: readonly { name: string; command: string; args?: string[]; stdin?: 'pipe' }[], daemonFlags: readonly string[] = []) {
  const h = new Harness();
  if (daemonFlags.length) await h.cli(['daemon', 'start', ...daemonFlags]);
  const client = new SessionClient({ home: h.home, autoStart: true });
  const session = await client.create({ id, ...(children ? { children: children.map((c) => ({ ...c })) } : {}) });
  h.noteDaemon();
  h.noteSession(session);
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
    close: async () => {
      client.close();
      await h.teardown();
    },
  };
}
