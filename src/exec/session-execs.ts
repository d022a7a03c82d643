import type { Socket } from 'node:net';
import type { ChildrenLeaf } from '../cgroup/children-leaf.js';
import type { ExecOrder, ExecReport, OutputOrder } from './exec-messages.js';
import { runExec, type RunningExec } from './exec-run.js';
import { OutputPairing } from './output-pairing.js';

// Not a valid child name (those begin with a letter or digit): an exec's marker never matches a child's run.
const EXEC_MARKER_CHILD = '@exec';

/**
 * The execs of one session, as its supervisor runs them: started on request, never restarted,
 * stopped with the session (SIGTERM, SIGKILL after the grace) or killed with an orphaned supervisor.
 */
export class SessionExecs {
  // Each from its request on: a stop that comes while one is spawning still reaches it.
  private readonly running = new Set<Promise<RunningExec | null>>();
  private count = 0;
  private readonly pairing = new OutputPairing();

  constructor(
    private readonly session: string,
    private readonly report: (report: ExecReport) => void,
    /** The session's children leaf, where every exec is born (none: the supervisor's own cgroup). */
    private readonly leaf: ChildrenLeaf | undefined,
  ) {}

  start(order: ExecOrder, socket: Socket): void {
    const marker = { session: this.session, child: EXEC_MARKER_CHILD, run: ++this.count };
    const exec = runExec(order, socket, marker, this.leaf, this.report, this.pairing);
    this.running.add(exec);
    void exec.then(async (running) => {
      await running?.done;
      this.running.delete(exec);
    });
  }

  /** An exec's output connection: its exec, come or coming, takes it as its stdout. */
  output(order: OutputOrder, socket: Socket): void {
    this.pairing.offer(order, socket);
  }

  /** Stops every exec (the session is stopping); resolves once all are gone. */
  async stopAll(graceMs: number): Promise<void> {
    this.pairing.close();
    await Promise.all([...this.running].map(async (exec) => (await exec)?.stop(graceMs)));
  }

  async killAll(): Promise<void> {
    this.pairing.close();
    await Promise.all([...this.running].map(async (exec) => (await exec)?.kill()));
  }
}
