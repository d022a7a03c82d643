import { thawForKill } from '../cgroup/children-leaf.js';
import { errorMessage, SessiondError } from '../contract/errors.js';
import type { ExitInfo } from '../contract/session.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import { EXIT_AUTO_SHUTDOWN, EXIT_GAVE_UP, EXIT_START_FAILED, type FromSupervisor, type SupervisorInit, type SupervisorRequest } from '../ipc/supervisor-messages.js';
import type { Spawned } from '../process/spawn-child.js';
import { callChild, ChildAdmin } from './child-admin.js';
import { ChildSlot } from './child-slot.js';
import { ChildTable } from './child-table.js';
import { planRestart, type RestartPlan } from './plan-restart.js';
import { publishable } from './publish.js';
import { slotOptions } from './slot-options.js';
import { Timers } from './timers.js';

type ChildEvent = Extract<FromSupervisor, { type: 'child' }>['event'];
type Phase = 'starting' | 'running' | 'stopping';

/**
 * A session supervisor: starts its children in order, restarts them as OTP would, and stops them
 * in reverse order. Every decision goes through one queue, so a crash handled during a group
 * restart waits its turn; a stop does not wait, it sets the phase that every queued step checks.
 * Restart delays are timers that queue the restart when they fire, so nothing waits in the queue.
 */
export class Supervisor {
  private readonly children = new ChildTable();
  private readonly admin: ChildAdmin;
  /** Pending restarts of children waiting out their restart delay. */
  private readonly restartTimers = new Timers();
  private phase: Phase = 'starting';
  private restarts = 0;
  /** The restarts counted for intensity (monotonic ms). */
  private restartTimes: readonly number[] = [];
  private queue: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  private exitCode: number | null = null;

  constructor(
    private readonly spec: SessionSpec,
    private readonly init: Omit<SupervisorInit, 'session'>,
    private readonly report: (message: FromSupervisor) => void,
    private readonly exit: (code: number) => void,
  ) {
    const held = new Set(spec.held ?? []);
    for (const child of spec.children) this.children.add(this.newSlot(child, held.has(child.name)));
    this.admin = new ChildAdmin({
      children: this.children,
      running: () => this.phase === 'running',
      newSlot: (child) => this.newSlot(child, false),
      stopChild: (slot, graceMs) => this.stopChild(slot, graceMs),
      stopping: () => this.phase === 'stopping',
      reportChild: (slot, event, spec) => this.reportChild(slot, event, undefined, spec),
    });
  }

  /** Starts every child in order (those stopped on request aside), each once the one before is ready; the first may be a spare's Placeholder. */
  start(prespawned?: Spawned): Promise<void> {
    return this.enqueue(async () => {
      const failure = await this.admin.startAll(Date.now() + this.init.startTimeoutMs, prespawned);
      if (this.phase === 'stopping') return;
      if (failure !== null) {
        this.report({ type: 'start_failed', error: failure });
        return this.stopAll(EXIT_START_FAILED);
      }
      this.phase = 'running';
      this.report({ type: 'ready', children: this.children.states() });
    });
  }

  /** A request of the daemon: administer a child (queued), or deliver a `send` (not queued: many may be in flight). */
  request(request: SupervisorRequest): Promise<unknown> {
    if (request.op === 'call') return callChild(this.children, request);
    return new Promise((resolve, reject) => {
      void this.enqueue(async () => {
        if (this.phase !== 'running') return reject(new SessiondError('not_running', `the session is ${this.phase}`));
        // A refusal (unknown child, name taken) is the caller's; anything else is the supervisor's own fault.
        await this.admin.run(request).then(resolve, (error: unknown) => {
          reject(error);
          if (!(error instanceof SessiondError)) throw error;
        });
      });
    });
  }

  /** Makes the reports a start makes (spawned, started, ready), with nothing started: a spare's rehearsal (rehearsal.ts). */
  rehearse(): void {
    for (const slot of this.children.inOrder()) {
      this.reportChild(slot, 'spawned');
      this.reportChild(slot, 'started');
    }
    this.report({ type: 'ready', children: this.children.states() });
  }

  /** A child and its pipes, for an attacher (src/exec); throws not_found for an unknown name. */
  attachable(name: string): { readonly spec: ChildSpec; readonly stdio: ReturnType<ChildSlot['stdio']> } {
    const slot = this.children.known(name);
    return { spec: slot.spec, stdio: slot.stdio() };
  }

  /** A requested stop: children in reverse start order, each SIGTERM then SIGKILL. */
  shutdown(): Promise<void> {
    return this.stopAll(0);
  }

  /** The parent is gone: nobody is left to wait for a graceful stop, so every tree is SIGKILLed. */
  async orphaned(): Promise<void> {
    this.phase = 'stopping';
    this.cancelRestarts();
    // The SIGKILLs are sent at once; a paused session's children leaf is then thawed (v1 only),
    // for a v1 frozen task dies only once it runs.
    const kills = this.children.inOrder().map((slot) => slot.kill());
    thawForKill(this.init.childrenLeaf);
    await Promise.all(kills);
    this.finish(1);
  }

  // Applies OTP's decision (plan-restart.ts) about a run that exited unasked.
  private async handleExit(slot: ChildSlot, exit: ExitInfo, run: number): Promise<void> {
    // A later run has replaced the one that exited (a group restart came first): nothing to do.
    if (run !== slot.run || !this.children.has(slot)) return;
    this.reportChild(slot, 'exited', exit);
    const { spec } = this;
    const plan = planRestart(this.children.facts(), { name: slot.spec.name, exit }, {
      policy: spec,
      running: this.phase === 'running',
      restartTimes: this.restartTimes,
      nowMs: performance.now(),
    });
    switch (plan.kind) {
      case 'none':
        return;
      case 'end':
        if (plan.significant) slot.endedOnItsOwn();
        if (plan.autoShutdown === null) return;
        this.report({ type: 'auto_shutdown', reason: plan.autoShutdown });
        return void this.stopAll(EXIT_AUTO_SHUTDOWN);
      case 'give_up':
        this.report({ type: 'gave_up', reason: plan.reason });
        return void this.stopAll(EXIT_GAVE_UP);
      case 'restart':
        return this.restart(slot, plan);
    }
  }

  private async restart(failed: ChildSlot, plan: Extract<RestartPlan, { kind: 'restart' }>): Promise<void> {
    this.restartTimes = plan.restartTimes;
    this.restarts += 1;
    failed.crashed(plan.crashes);
    for (const name of plan.stop) await this.stopChild(this.children.get(name));
    const group = plan.start.map((name) => this.children.get(name));
    if (plan.delayMs === 0) return this.startGroup(group);
    const at = new Date(Date.now() + plan.delayMs).toISOString();
    for (const member of group) {
      member.waitRestart(at);
      this.reportChild(member, 'waiting');
    }
    this.restartTimers.after(plan.delayMs, () => void this.enqueue(() => this.startGroup(group)));
  }

  private async startGroup(group: readonly ChildSlot[]): Promise<void> {
    for (const member of group) {
      if (this.phase !== 'running') return;
      // Stopped on request meanwhile, removed, or already running again: left as it is.
      if (member.held || !this.children.has(member) || member.pid !== null) continue;
      if ((await member.restart()) === null) this.reportChild(member, 'restarted');
    }
  }

  private async stopChild(slot: ChildSlot, graceMs?: number): Promise<void> {
    if (await slot.stop(graceMs)) this.reportChild(slot, 'exited', slot.lastExit ?? undefined);
  }

  private stopAll(code: number): Promise<void> {
    this.phase = 'stopping';
    this.cancelRestarts();
    this.stopped ??= this.admin
      .stopAll()
      .catch((error: unknown) => process.stderr.write(`session-supervisor: stopping the children failed: ${errorMessage(error)}\n`))
      .then(() => this.finish(code));
    return this.stopped;
  }

  // A stop during a restart delay cancels the restart at once.
  private cancelRestarts(): void {
    this.restartTimers.clear();
    for (const slot of this.children.inOrder()) slot.cancelRestart();
  }

  /** Exits once, whatever asked first. */
  private finish(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.exit(code);
  }

  private newSlot(child: ChildSpec, held: boolean): ChildSlot {
    return new ChildSlot(child, slotOptions(this.spec, this.init, child, held), {
      onExit: (s, exit, run) => void this.enqueue(() => this.handleExit(s, exit, run)),
      onHung: (s) => {
        this.reportChild(s, 'hung');
        void s.kill('hung');
      },
      onActivity: (s) => this.report({ type: 'activity', child: s.spec.name, at: new Date().toISOString() }),
      onSpawned: (s) => this.reportChild(s, 'spawned'),
      onPublish: (s, topic, data) => {
        const message = publishable(s.spec.name, topic, data);
        if (message) this.report(message);
      },
    });
  }

  private reportChild(slot: ChildSlot, event: ChildEvent, exit?: ExitInfo, spec?: ChildSpec): void {
    const ended = exit ? { code: exit.code, signal: exit.signal, ...(exit.reason ? { reason: exit.reason } : {}), output: slot.log.tail() } : {};
    this.report({ type: 'child', event, child: slot.state(), restarts: this.restarts, ...ended, ...(spec ? { spec } : {}) });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.report({ type: 'gave_up', reason: `supervisor error: ${errorMessage(error)}` });
      return this.stopAll(EXIT_GAVE_UP);
    });
    return this.queue;
  }
}
