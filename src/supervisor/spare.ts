import { DEFAULTS } from '../contract/defaults.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { SpareInit } from '../ipc/supervisor-messages.js';
import { markerEnv } from '../process/marker.js';
import { spawnProcess, type Spawned } from '../process/spawn-child.js';
import { killProcess } from '../process/stop.js';

/**
 * The Placeholder of a spare supervisor, spawned before its session exists: its session id is
 * reserved, so it carries the marker of run 1 of that session's Placeholder, and it waits for its
 * init. A session that is exactly the default one of that id adopts it; any other kills it.
 */
export class SparePlaceholder {
  readonly proc: Spawned;

  constructor(private readonly spare: SpareInit) {
    const { placeholder: spec, session, childrenLeaf: leaf } = spare;
    const env = { ...spec.env, ...markerEnv({ session, child: spec.name, run: 1 }) };
    this.proc = spawnProcess({ file: spec.file! }, { args: spec.args, env, cwd: spec.cwd, stdout: 'pipe', stderr: 'pipe', leaf });
  }

  /**
   * Resolves true once the Placeholder has loaded: it answers a ping (the helper does before its
   * init), so a session that takes the spare waits for no part of its start-up. The pings back off
   * from 20 ms to 1 s; false when it exits or has not answered within `giveUpMs`.
   */
  loaded(giveUpMs: number = DEFAULTS.startTimeoutMs): Promise<boolean> {
    const { subprocess } = this.proc;
    return new Promise((resolve) => {
      let gapMs = 20;
      let next: NodeJS.Timeout | undefined;
      const ping = () => {
        this.proc.send({ type: 'sessiond:ping', seq: 0 });
        next = setTimeout(ping, gapMs);
        gapMs = Math.min(gapMs * 2, 1000);
      };
      const done = (answered: boolean) => {
        clearTimeout(next);
        clearTimeout(giveUp);
        subprocess.off('message', heard);
        resolve(answered);
      };
      const heard = (message: unknown) => (message as { type?: unknown } | null)?.type === 'sessiond:pong' && done(true);
      const giveUp = setTimeout(() => done(false), giveUpMs);
      subprocess.on('message', heard);
      void this.proc.exited.then(() => done(false));
      ping();
    });
  }

  /** The process, if `session` can adopt it: same id, and its first child the Placeholder as spawned. */
  adoptableBy(session: SessionSpec): Spawned | null {
    const first: ChildSpec | undefined = session.children[0];
    const { placeholder } = this.spare;
    const same = session.id === this.spare.session && first?.name === placeholder.name && first.file === placeholder.file;
    const plain = same && first.args.length === 0 && Object.keys(first.env).length === 0 && !(session.held ?? []).includes(first.name);
    return plain && !this.proc.hasExited() ? this.proc : null;
  }

  /** Not adopted: SIGKILLed with whatever it started (nothing, so far). */
  async discard(): Promise<void> {
    await killProcess(this.proc, [], { session: this.spare.session, child: this.spare.placeholder.name, run: 1 });
  }
}
