import { childLogFile } from '../contract/paths.js';
import { describeExit, type ExitInfo } from '../contract/session.js';
import { DEFAULTS } from '../contract/defaults.js';
import type { SessionSpec } from '../contract/spec.js';
import type { FromSupervisor, SupervisorInit } from '../ipc/supervisor-messages.js';

type FromSupervisorChild = Extract<FromSupervisor, { type: 'child' }>;
import { EXIT_GAVE_UP, EXIT_START_FAILED } from '../ipc/supervisor-messages.js';
import { ChildSlot } from './child-slot.js';
import { childrenToRestart, shouldRestart } from './decisions.js';
import { RestartIntensity } from './intensity.js';

type Phase = 'starting' | 'running' | 'stopping';

/**
 * A session supervisor: starts its children in order, restarts them as OTP would, and stops them
 * in reverse order. Every decision goes through one queue, so a crash handled during a group
 * restart waits its turn; a stop does not wait, it sets the phase that every queued step checks.
 */
export class Supervisor {
  private readonly slots = new Map<string, ChildSlot>();
  private readonly order: string[];
  private readonly intensity: RestartIntensity;
  private phase: Phase = 'starting';
  private restarts = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  private readonly startTimeoutMs: number;

  constructor(
    private readonly spec: SessionSpec,
    init: Omit<SupervisorInit, 'session'>,
    private readonly report: (message: FromSupervisor) => void,
    private readonly exit: (code: number) => void,
  ) {
    this.intensity = new RestartIntensity(spec.maxRestarts, spec.maxSeconds);
    this.startTimeoutMs = init.startTimeoutMs;
    this.order = spec.children.map((c) => c.name);
    const childInit = { session: spec.id, metadata: { ...spec.metadata }, llmConfig: { ...spec.llmConfig }, heartbeatMs: init.heartbeatMs };
    for (const child of spec.children) {
      const slot = new ChildSlot(
        child,
        {
          init: childInit,
          startTimeoutMs: init.startTimeoutMs,
          missedHeartbeats: DEFAULTS.missedHeartbeats,
          logPath: init.logDir ? childLogFile(init.logDir, child.name) : null,
        },
        {
          onExit: (s, exit) => this.enqueue(() => this.handleExit(s, exit)),
          onHung: (s) => this.handleHung(s),
          onActivity: (s) => this.report({ type: 'activity', child: s.spec.name, at: new Date().toISOString() }),
          onSpawned: (s) => this.reportChild(s, 'spawned'),
        },
      );
      this.slots.set(child.name, slot);
    }
  }

  /** Starts every child in order, each once the one before is ready. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      const deadline = Date.now() + this.startTimeoutMs;
      for (const name of this.order) {
        const slot = this.slot(name);
        const failure = await slot.start(deadline);
        if (this.phase === 'stopping') return;
        if (failure) {
          const output = slot.log.tail().slice(-5);
          const printed = output.length ? `; it printed: ${output.join(' | ')}` : '';
          this.report({ type: 'start_failed', error: `child ${name} ${failure}${printed}` });
          return this.stopAll(EXIT_START_FAILED);
        }
        this.reportChild(slot, 'started');
      }
      this.phase = 'running';
      this.report({ type: 'ready', children: this.states() });
    });
  }

  /** A requested stop: children in reverse start order, each SIGTERM then SIGKILL. */
  shutdown(): Promise<void> {
    return this.stopAll(0);
  }

  /** The parent is gone: nobody is left to wait for a graceful stop, so every tree is SIGKILLed. */
  async orphaned(): Promise<void> {
    this.phase = 'stopping';
    await Promise.all([...this.slots.values()].map((slot) => slot.kill()));
    this.exit(1);
  }

  private async handleExit(slot: ChildSlot, exit: ExitInfo): Promise<void> {
    this.reportChild(slot, 'exited', exit);
    if (this.phase !== 'running') return;
    if (!shouldRestart(slot.spec.restart, exit)) return;
    if (!this.intensity.tryRestart(performance.now())) {
      const reason = `restart intensity exceeded: ${this.intensity.describe()} (last: child ${slot.spec.name} ${describeExit(exit)})`;
      this.report({ type: 'gave_up', reason });
      return void this.stopAll(EXIT_GAVE_UP);
    }
    this.restarts += 1;
    const names = childrenToRestart(this.spec.strategy, this.order, slot.spec.name);
    const group = names.map((name) => this.slot(name));
    for (const other of [...group].reverse()) {
      if (other === slot || other.pid === null) continue;
      other.status = 'stopping';
      await other.stop();
      this.reportChild(other, 'exited', other.lastExit ?? undefined);
    }
    for (const member of group) {
      // OTP never restarts a temporary child, not even when a sibling's death stopped it.
      if (this.phase !== 'running') return;
      if (member !== slot && member.spec.restart === 'temporary') continue;
      member.restarts += 1;
      member.status = 'restarting';
      if ((await member.start()) === null) this.reportChild(member, 'restarted');
    }
  }

  private handleHung(slot: ChildSlot): void {
    this.reportChild(slot, 'hung');
    void slot.kill();
  }

  private stopAll(code: number): Promise<void> {
    this.phase = 'stopping';
    this.stopped ??= (async () => {
      // One deadline for the whole stop: each child gets SIGTERM in turn, and none waits past
      // the longest shutdownMs from now, so a stop of several stubborn children is no longer.
      const deadline = Date.now() + Math.max(...this.spec.children.map((c) => c.shutdownMs));
      for (const name of [...this.order].reverse()) {
        const slot = this.slot(name);
        if (slot.pid === null) continue;
        await slot.stop(Math.min(slot.spec.shutdownMs, Math.max(0, deadline - Date.now())));
        this.reportChild(slot, 'exited', slot.lastExit ?? undefined);
      }
      for (const slot of this.slots.values()) slot.log.close();
      this.exit(code);
    })();
    return this.stopped;
  }

  private reportChild(slot: ChildSlot, event: FromSupervisorChild['event'], exit?: ExitInfo): void {
    this.report({
      type: 'child',
      event,
      child: slot.state(),
      restarts: this.restarts,
      ...(exit ? { code: exit.code, signal: exit.signal, output: slot.log.tail() } : {}),
    });
  }

  private states() {
    return this.order.map((name) => this.slot(name).state());
  }

  private slot(name: string): ChildSlot {
    return this.slots.get(name)!;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      this.report({ type: 'gave_up', reason: `supervisor error: ${String(error)}` });
      return this.stopAll(EXIT_GAVE_UP);
    });
    return this.queue;
  }
}
