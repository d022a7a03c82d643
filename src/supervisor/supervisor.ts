import { thawForKill } from '../cgroup/children-leaf.js';
import { SessiondError } from '../contract/errors.js';
import { DEFAULTS } from '../contract/defaults.js';
import { childLogFile } from '../contract/paths.js';
import { describeExit, type ExitInfo } from '../contract/session.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import { EXIT_AUTO_SHUTDOWN, EXIT_GAVE_UP, EXIT_START_FAILED, type FromSupervisor, type SupervisorInit, type SupervisorRequest } from '../ipc/supervisor-messages.js';
import { autoShutdownReached } from './auto-shutdown.js';
import { restartDelayMs } from './backoff.js';
import type { Spawned } from '../process/spawn-child.js';
import { ChildSlot } from './child-slot.js';
import { childrenToRestart, shouldRestart } from './decisions.js';
import { RestartIntensity } from './intensity.js';
import { publishable } from './publish.js';
import { startFailureText } from './start-failure.js';
import { relayOn } from '../logs/log-relay.js';
import type { LogSink } from '../logs/log-file.js';

type FromSupervisorChild = Extract<FromSupervisor, { type: 'child' }>;
type Phase = 'starting' | 'running' | 'stopping';

/**
 * A session supervisor: starts its children in order, restarts them as OTP would, and stops them
 * in reverse order. Every decision goes through one queue, so a crash handled during a group
 * restart waits its turn; a stop does not wait, it sets the phase that every queued step checks.
 * Restart delays are timers that queue the restart when they fire, so nothing waits in the queue.
 */
export class Supervisor {
  private readonly slots = new Map<string, ChildSlot>();
  private readonly order: string[] = [];
  /** Children stopped on request: never restarted until asked. */
  private readonly held: Set<string>;
  /** Significant children that ended on their own, for auto_shutdown. */
  private readonly ended = new Set<string>();
  private readonly delays = new Set<NodeJS.Timeout>();
  private readonly intensity: RestartIntensity;
  private phase: Phase = 'starting';
  private restarts = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | null = null;
  private exitCode: number | null = null;

  constructor(
    private readonly spec: SessionSpec,
    private readonly init: Omit<SupervisorInit, 'session'>,
    private readonly report: (message: FromSupervisor) => void,
    private readonly exit: (code: number) => void,
  ) {
    this.intensity = new RestartIntensity(spec.maxRestarts, spec.maxSeconds);
    this.held = new Set(spec.held ?? []);
    for (const child of spec.children) this.addSlot(child);
  }

  /**
   * Starts every child in order (those stopped on request aside), each once the one before is
   * ready; the first may be a spare's Placeholder, spawned already.
   */
  start(prespawned?: Spawned): Promise<void> {
    return this.enqueue(async () => {
      const deadline = Date.now() + this.init.startTimeoutMs;
      for (const [i, name] of this.order.entries()) {
        const slot = this.slot(name);
        if (this.held.has(name)) continue;
        const failure = await slot.start(deadline, i === 0 ? prespawned : undefined);
        if (this.phase === 'stopping') return;
        if (failure) {
          this.report({ type: 'start_failed', error: startFailure(slot, failure) });
          return this.stopAll(EXIT_START_FAILED);
        }
        this.reportChild(slot, 'started');
      }
      this.phase = 'running';
      this.report({ type: 'ready', children: this.states() });
    });
  }

  /** A request of the daemon: administer a child, or deliver a `send` (not queued: many may be in flight). */
  request(request: SupervisorRequest): Promise<unknown> {
    if (request.op === 'call') return this.call(request.child, request.body);
    return new Promise((resolve, reject) => {
      void this.enqueue(async () => {
        if (this.phase !== 'running') return reject(new SessiondError('not_running', `the session is ${this.phase}`));
        // A refusal (unknown child, name taken) is the caller's; anything else is the supervisor's own fault.
        await this.administer(request).then(resolve, (error: unknown) => {
          reject(error);
          if (!(error instanceof SessiondError)) throw error;
        });
      });
    });
  }

  /** A requested stop: children in reverse start order, each SIGTERM then SIGKILL. */
  shutdown(): Promise<void> {
    return this.stopAll(0);
  }

  /** The parent is gone: nobody is left to wait for a graceful stop, so every tree is SIGKILLed. */
  async orphaned(): Promise<void> {
    this.phase = 'stopping';
    this.cancelDelays();
    // The SIGKILLs are sent at once; a paused session's children leaf is then thawed (v1 only),
    // for a v1 frozen task dies only once it runs.
    const kills = [...this.slots.values()].map((slot) => slot.kill());
    thawForKill(this.init.childrenLeaf);
    await Promise.all(kills);
    this.finish(1);
  }

  private async administer(request: Exclude<SupervisorRequest, { op: 'call' }>): Promise<unknown> {
    switch (request.op) {
      case 'add_child':
        return this.addChild(request.spec);
      case 'stop_child': {
        const slot = this.known(request.name);
        this.held.add(slot.spec.name);
        await this.stopSlot(slot);
        this.reportChild(slot, 'stopped');
        return slot.state();
      }
      case 'restart_child': {
        const slot = this.known(request.name);
        this.held.delete(slot.spec.name);
        await this.restartSlots([slot]);
        return slot.state();
      }
      case 'remove_child': {
        const slot = this.known(request.name);
        if (slot.pid !== null || slot.status !== 'stopped') {
          throw new SessiondError('running', `child ${slot.spec.name} is ${slot.status}: stop it before removing it`);
        }
        this.slots.delete(slot.spec.name);
        this.order.splice(this.order.indexOf(slot.spec.name), 1);
        this.held.delete(slot.spec.name);
        slot.log.close();
        this.reportChild(slot, 'removed');
        return null;
      }
      case 'restart_all':
        // As a one_for_all restart, asked for: every child but those stopped on request, no intensity.
        await this.restartSlots(this.order.filter((name) => !this.held.has(name)).map((name) => this.slot(name)));
        return this.states();
    }
  }

  private async addChild(spec: ChildSpec): Promise<unknown> {
    if (this.slots.has(spec.name)) throw new SessiondError('already_exists', `the session already has a child named ${spec.name}`);
    const slot = this.addSlot(spec);
    const failure = await slot.start();
    if (failure) {
      this.slots.delete(spec.name);
      this.order.pop();
      slot.log.close();
      throw new SessiondError('start_failed', startFailure(slot, failure));
    }
    this.reportChild(slot, 'added');
    return slot.state();
  }

  // Stopped in reverse order, then started in order, as a group restart; a child that fails to
  // start is reported as exited and handled as any crash.
  private async restartSlots(group: readonly ChildSlot[]): Promise<void> {
    for (const slot of [...group].reverse()) await this.stopSlot(slot);
    for (const slot of group) {
      if (this.phase !== 'running') return;
      this.ended.delete(slot.spec.name);
      if ((await slot.start()) === null) this.reportChild(slot, 'restarted');
    }
  }

  private async stopSlot(slot: ChildSlot): Promise<void> {
    slot.nextRestartAt = null;
    if (slot.pid === null) {
      slot.status = 'stopped';
      return;
    }
    await slot.stop();
    this.reportChild(slot, 'exited', slot.lastExit ?? undefined);
  }

  private async call(name: string, body: unknown): Promise<unknown> {
    const slot = this.known(name);
    if (slot.spec.file === undefined) throw new SessiondError('not_supported', `child ${name} is a command: it has no IPC channel to send to`);
    if (slot.pid === null || slot.status !== 'running') throw new SessiondError('not_running', `child ${name} is not running (it is ${slot.status})`);
    return slot.call(body);
  }

  private async handleExit(slot: ChildSlot, exit: ExitInfo, run: number): Promise<void> {
    // A later run has replaced the one that exited (a group restart came first): nothing to do.
    if (run !== slot.run || !this.slots.has(slot.spec.name)) return;
    this.reportChild(slot, 'exited', exit);
    if (this.phase !== 'running' || this.held.has(slot.spec.name)) return;
    if (!shouldRestart(slot.spec.restart, exit)) return this.endedOnItsOwn(slot, exit);
    if (!this.intensity.tryRestart(performance.now())) {
      const reason = `restart intensity exceeded: ${this.intensity.describe()} (last: child ${slot.spec.name} ${describeExit(exit)})`;
      this.report({ type: 'gave_up', reason });
      return void this.stopAll(EXIT_GAVE_UP);
    }
    this.restarts += 1;
    const ran = slot.ranMs();
    slot.crashes = ran >= 30_000 ? 1 : slot.crashes + 1;
    const names = childrenToRestart(this.spec.strategy, this.order, slot.spec.name).filter((n) => n === slot.spec.name || !this.held.has(n));
    const group = names.map((name) => this.slot(name));
    for (const other of [...group].reverse()) {
      if (other === slot || other.pid === null) continue;
      other.status = 'stopping';
      await other.stop();
      this.reportChild(other, 'exited', other.lastExit ?? undefined);
    }
    const delayMs = restartDelayMs(slot.spec, slot.crashes, ran);
    if (delayMs === 0) return this.restartGroup(group, slot);
    const at = new Date(Date.now() + delayMs).toISOString();
    for (const member of group) {
      member.status = 'restarting';
      member.nextRestartAt = at;
      this.reportChild(member, 'waiting');
    }
    const timer = setTimeout(() => {
      this.delays.delete(timer);
      void this.enqueue(() => this.restartGroup(group, slot));
    }, delayMs);
    this.delays.add(timer);
  }

  private async restartGroup(group: readonly ChildSlot[], failed: ChildSlot): Promise<void> {
    for (const member of group) {
      if (this.phase !== 'running') return;
      // Stopped on request meanwhile, removed, or already running again: left as it is.
      if (this.held.has(member.spec.name) || !this.slots.has(member.spec.name) || member.pid !== null) continue;
      // OTP never restarts a temporary child, not even when a sibling's death stopped it.
      if (member !== failed && member.spec.restart === 'temporary') continue;
      member.restarts += 1;
      member.status = 'restarting';
      if ((await member.start()) === null) this.reportChild(member, 'restarted');
    }
  }

  // OTP 24's auto_shutdown: a significant child that ended on its own may end the session.
  private endedOnItsOwn(slot: ChildSlot, exit: ExitInfo): void {
    if (!slot.spec.significant) return;
    this.ended.add(slot.spec.name);
    const children = [...this.slots.values()].map((s) => ({ significant: s.spec.significant, ended: this.ended.has(s.spec.name) }));
    if (!autoShutdownReached(this.spec.autoShutdown, children)) return;
    this.report({ type: 'auto_shutdown', reason: `significant child ${slot.spec.name} ended (${describeExit(exit)})` });
    void this.stopAll(EXIT_AUTO_SHUTDOWN);
  }

  private handleHung(slot: ChildSlot): void {
    this.reportChild(slot, 'hung');
    void slot.kill();
  }

  private stopAll(code: number): Promise<void> {
    this.phase = 'stopping';
    this.cancelDelays();
    this.stopped ??= (async () => {
      // One deadline for the whole stop: each child gets SIGTERM in turn, and none waits past
      // the longest shutdownMs from now, so a stop of several stubborn children is no longer.
      const slots = [...this.order].reverse().map((name) => this.slot(name));
      const deadline = Date.now() + Math.max(0, ...slots.map((s) => s.spec.shutdownMs));
      for (const slot of slots) {
        if (slot.pid === null) continue;
        await slot.stop(Math.min(slot.spec.shutdownMs, Math.max(0, deadline - Date.now())));
        this.reportChild(slot, 'exited', slot.lastExit ?? undefined);
      }
      for (const slot of this.slots.values()) slot.log.close();
      this.finish(code);
    })();
    return this.stopped;
  }

  // A stop during a restart delay cancels the restart at once.
  private cancelDelays(): void {
    for (const timer of this.delays) clearTimeout(timer);
    this.delays.clear();
    for (const slot of this.slots.values()) {
      if (slot.pid !== null || slot.status !== 'restarting') continue;
      slot.status = 'stopped';
      slot.nextRestartAt = null;
    }
  }

  /** Exits once, whatever asked first. */
  private finish(code: number): void {
    if (this.exitCode !== null) return;
    this.exitCode = code;
    this.exit(code);
  }

  private addSlot(child: ChildSpec): ChildSlot {
    const { init } = this;
    const childInit = { session: this.spec.id, metadata: { ...this.spec.metadata }, llmConfig: { ...this.spec.llmConfig }, heartbeatMs: init.heartbeatMs };
    const slot = new ChildSlot(
      child,
      { init: childInit, startTimeoutMs: init.startTimeoutMs, missedHeartbeats: DEFAULTS.missedHeartbeats, logPath: logTarget(init, child.name), ...childSettings(init) },
      {
        onExit: (s, exit, run) => void this.enqueue(() => this.handleExit(s, exit, run)),
        onHung: (s) => this.handleHung(s),
        onActivity: (s) => this.report({ type: 'activity', child: s.spec.name, at: new Date().toISOString() }),
        onSpawned: (s) => this.reportChild(s, 'spawned'),
        onPublish: (s, topic, data) => {
          const message = publishable(s.spec.name, topic, data);
          if (message) this.report(message);
        },
      },
    );
    this.slots.set(child.name, slot);
    this.order.push(child.name);
    return slot;
  }

  private known(name: string): ChildSlot {
    const slot = this.slots.get(name);
    if (!slot) throw new SessiondError('not_found', `the session has no child named ${name}; its children are ${this.order.join(', ')}`);
    return slot;
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

// Where a child's log goes: its file, or (an isolated session's) the daemon's relay pipe.
function logTarget(init: Omit<SupervisorInit, 'session'>, child: string): string | LogSink | null {
  if (init.logFd !== undefined) return (relay ??= relayOn(init.logFd))(child);
  return init.logDir ? childLogFile(init.logDir, child) : null;
}
let relay: ((child: string) => LogSink) | undefined;

// The daemon's settings for every child: how its log rotates, what lets a Node child import 'sessiond/child'.
function childSettings(init: Omit<SupervisorInit, 'session'>) {
  return { logRotation: init.logRotation, nodeResolve: init.nodeResolve, leaf: init.childrenLeaf };
}

function startFailure(slot: ChildSlot, failure: string): string {
  return startFailureText(slot.spec.name, failure, slot.log.tail(Infinity));
}
