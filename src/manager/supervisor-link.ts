import type { ExitInfo } from '../contract/session.js';
import { describeIssues } from '../contract/spec.js';
import { fromSupervisor, type FromSupervisor, type SupervisorRequest, type ToSupervisor } from '../ipc/supervisor-messages.js';
import type { Spawned } from '../process/spawn.js';
import { SupervisorRequests } from './supervisor-requests.js';

export interface LinkEnds {
  /** A message from the supervisor, parsed: a malformed one is warned about and goes no further. */
  readonly message: (message: Exclude<FromSupervisor, { type: 'response' }>) => void;
  readonly exited: (exit: ExitInfo) => void;
  readonly warn: (message: string) => void;
  /** Runs a handler so that its throw ends this session, never the daemon. */
  readonly guard: (what: string, handle: () => void) => void;
}

/** The daemon's end of one session's supervisor: its process, the messages both ways, and the requests awaiting a response. */
export class SupervisorLink {
  private current: Spawned | null = null;
  private readonly requests = new SupervisorRequests((message) => this.post(message));

  constructor(
    private readonly session: string,
    private readonly ends: LinkEnds,
  ) {}

  attach(proc: Spawned): void {
    this.current = proc;
    proc.subprocess.on('message', (raw: unknown) => this.ends.guard('a supervisor message', () => this.receive(raw)));
    void proc.exited.then((exit) => this.ends.guard('the supervisor exit', () => this.ends.exited(exit)));
  }

  get proc(): Spawned | null {
    return this.current;
  }

  pid(): number | null {
    return this.current && !this.current.hasExited() ? this.current.pid : null;
  }

  post(message: ToSupervisor): void {
    const subprocess = this.current?.subprocess;
    if (subprocess?.connected) subprocess.sendMessage?.(message).catch(() => undefined);
  }

  request(request: SupervisorRequest, timeoutMs: number, onTimeout: () => string): Promise<unknown> {
    return this.requests.request(request, timeoutMs, onTimeout);
  }

  /** The supervisor is going: every request still in flight fails at once. */
  failAll(why: string): void {
    this.requests.failAll(why);
  }

  private receive(raw: unknown): void {
    const parsed = fromSupervisor.safeParse(raw);
    if (!parsed.success) return this.ends.warn(`session ${this.session}: ignored a malformed supervisor message: ${describeIssues(parsed.error)}`);
    const message: FromSupervisor = parsed.data;
    if (message.type === 'response') return this.requests.settle(message.id, message);
    this.ends.message(message);
  }
}
