import { createHash } from 'node:crypto';
import { closeSync, openSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { SessiondError } from '../contract/errors.js';
import { DEFAULT_UID_RANGE, type IsolationState } from '../contract/isolation.js';
import type { ParsedSessionInput } from '../contract/spec.js';
import type { Spawned } from '../process/spawn.js';
import type { LogRotation } from '../logs/log-file.js';
import { assertBwrap, assertCanSwitchUids } from './host-support.js';
import { LOG_RELAY_FD, spawnIsolatedSupervisor } from './launch.js';
import { writeRelayed } from './relayed-logs.js';
import { copyRuntime, type RuntimeEntries } from './runtime-copy.js';
import type { SpareKind } from '../manager/supervisor-pool.js';
import { killUid } from './uid-sweep.js';
import { UidPool, type UidRange } from './uid-pool.js';
import { isolationRoot, makeWorkDir, prepareRoot, removeWorkDir, reuseWorkDir, workDirOwners, workDirs, type IsolationRoot } from './work-dir.js';

export interface IsolationOptions {
  /** `sessiond --isolate`: every create is isolated unless it says `--no-isolate`. */
  readonly byDefault?: boolean;
  readonly uidRange?: UidRange;
  /** Where runtime/ and work/ go (default /var/lib/sessiond/<hash of the state dir>). */
  readonly root?: string;
}

/** The isolation a create asks for, decided once: null for a plain session. */
export type IsolationRequest = Pick<IsolationState, 'readOnly' | 'network' | 'keepWorkdir'> | null;

/** Every daemon of the host claims its sessions' uids here: two daemons with overlapping ranges never share one. */
const UID_CLAIMS = '/var/lib/sessiond/uids';

/** The root of a state dir's isolated sessions: one per state dir, named by a hash of its path (it must be outside it). */
export function defaultIsolationRoot(home: string): string {
  return join('/var/lib/sessiond', createHash('sha256').update(home).digest('hex').slice(0, 16));
}

/**
 * The daemon's side of isolated sessions: their uids, work dirs, the runtime copy they run, the
 * spawn of their supervisors and the relay of their logs, and what is left to clean when one ends.
 */
export class Isolation {
  private readonly root: IsolationRoot;
  private readonly pool: UidPool;
  private entries: RuntimeEntries | null = null;
  /** A daemon restart: sessions end here but come back with the next daemon, work dirs and all. */
  private keepAll = false;
  private readonly spares = new Map<string, IsolationState>();
  /** Where isolated supervisors print (as the spares' log: rare lines). */
  private output: number | null = null;

  constructor(
    home: string,
    private readonly supervisorsLog: string,
    private readonly options: IsolationOptions,
    private readonly logRotation: LogRotation,
    private readonly warn: (message: string) => void,
  ) {
    this.root = isolationRoot(options.root ?? defaultIsolationRoot(home));
    this.pool = new UidPool(options.uidRange ?? DEFAULT_UID_RANGE, () => workDirOwners(this.root), UID_CLAIMS);
  }

  /** What a create asks for; throws, changing nothing, when it contradicts itself or the host cannot give it. */
  request(input: Pick<ParsedSessionInput, 'isolate' | 'readOnly' | 'network' | 'keepWorkdir'>): IsolationRequest {
    const namespaces = input.readOnly || !input.network;
    if (input.isolate === false && namespaces) {
      throw new SessiondError('invalid_params', `${input.readOnly ? '--read-only' : '--no-network'} isolates the session: drop --no-isolate ("isolate": false)`);
    }
    if (!(input.isolate ?? this.options.byDefault ?? false) && !namespaces) return null;
    assertCanSwitchUids();
    if (namespaces) assertBwrap();
    return { readOnly: input.readOnly, network: input.network, keepWorkdir: input.keepWorkdir };
  }

  /** The files isolated sessions run, copied where their users can read them (once). */
  runtime(): RuntimeEntries {
    if (!this.entries) {
      prepareRoot(this.root);
      this.entries = copyRuntime(this.root.runtime);
    }
    return this.entries;
  }

  /** A uid and a work dir for a new session. */
  allocate(session: string, request: NonNullable<IsolationRequest>, uid = this.pool.take()): IsolationState {
    this.runtime();
    try {
      const workDir = makeWorkDir(this.root, session, uid, uid);
      return { uid, gid: uid, workDir, ...request, enforcement: request.readOnly || !request.network ? 'uid+namespaces' : 'uid' };
    } catch (error) {
      this.pool.release(uid);
      throw error;
    }
  }

  /**
   * Isolated spares (manager/supervisor-pool.ts): a supervisor and its Placeholder made ready under
   * a fresh uid, in the work dir of the session id it reserves, so an isolated create costs what
   * a plain one does. Only plain `--isolate` ones: bwrap's options are fixed when it starts.
   */
  spareKind(logDirOf: (id: string) => string): SpareKind {
    return {
      spawn: (id) => {
        const state = this.allocate(id, { readOnly: false, network: true, keepWorkdir: false });
        try {
          const proc = this.spawn(state, logDirOf(id));
          this.spares.set(id, state);
          return proc;
        } catch (error) {
          this.ended(state);
          throw error;
        }
      },
      dropped: (id) => {
        const state = this.spares.get(id);
        this.spares.delete(id);
        this.ended(state);
      },
    };
  }

  /** At the daemon's start: work dirs of sessions it does not know (a dead daemon's spares) go, with their uids' processes. */
  sweep(known: ReadonlySet<string>): void {
    for (const { name, uid } of workDirs(this.root)) {
      if (known.has(name) || this.spares.has(name)) continue;
      this.ended({ uid, workDir: join(this.root.work, name), keepWorkdir: false });
    }
  }

  /** The work dir a spare of that id runs in. */
  workDirOf(id: string): string {
    return join(this.root.work, id);
  }

  /** A taken spare's uid and work dir, now its session's. */
  claimSpare(id: string, request: NonNullable<IsolationRequest>): IsolationState {
    const state = this.spares.get(id);
    if (!state) throw new SessiondError('internal', `spare ${id} has no isolation`);
    this.spares.delete(id);
    return { ...state, keepWorkdir: request.keepWorkdir };
  }

  /** A resurrected session's uid and work dir, as they were. */
  reclaim(state: IsolationState): IsolationState {
    this.runtime();
    if (this.pool.isHeld(state.uid)) throw new SessiondError('start_failed', `uid ${state.uid} is another session's now`);
    this.pool.hold(state.uid);
    reuseWorkDir(state.workDir, state.uid, state.gid);
    return state;
  }

  /** Spawns the supervisor of an isolated session, its logs relayed to `logDir`. */
  spawn(state: IsolationState, logDir: string): Spawned {
    this.output ??= openSync(this.supervisorsLog, 'a', 0o600);
    const proc = spawnIsolatedSupervisor(this.runtime().supervisor, state, this.root.runtime, this.output);
    const relay: unknown = proc.subprocess.stdio[LOG_RELAY_FD];
    if (relay instanceof Readable) writeRelayed(relay, logDir, this.logRotation, (m) => this.warn(`session logs: ${m}`));
    return proc;
  }

  /** An isolated session has ended: any process of its uid is SIGKILLed, its work dir goes (unless kept), its uid is free again. */
  ended(state: Pick<IsolationState, 'uid' | 'workDir' | 'keepWorkdir'> | null | undefined): void {
    if (!state) return;
    // Only a uid of our range is a session's to sweep (a work dir chowned to someone else is not).
    const ours = state.uid >= this.pool.range.first && state.uid <= this.pool.range.last;
    const left = ours ? killUid(state.uid) : 0;
    if (left > 0) this.warn(`uid ${state.uid}: SIGKILLed ${left} process(es) left by its ended session`);
    try {
      if (!state.keepWorkdir && !this.keepAll) removeWorkDir(state.workDir);
    } catch (error) {
      this.warn((error as Error).message);
    }
    this.pool.release(state.uid);
  }

  /** What an isolated supervisor's init carries: the child preloads of the runtime copy, and the fd it relays logs on. */
  supervisorSettings<S extends object>(base: S): S & { nodeResolve: RuntimeEntries['nodeResolve']; logFd: number } {
    return { ...base, nodeResolve: this.runtime().nodeResolve, logFd: LOG_RELAY_FD };
  }

  keepWorkDirs(): void {
    this.keepAll = true;
  }

  /** The daemon stops: its runtime copy goes (the next start makes it anew), and the root too when no work dir is left in it. */
  close(): void {
    if (this.output !== null) closeSync(this.output);
    this.output = null;
    if (!this.entries) return;
    rmSync(this.root.runtime, { recursive: true, force: true });
    // The shared parent too when it was ours by default and nothing else is in it.
    for (const dir of [this.root.work, this.root.root, UID_CLAIMS, ...(this.options.root ? [] : [dirname(this.root.root)])]) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty: kept work dirs, or sessions a restarted daemon brings back
      }
    }
  }

  /** A spare's uid, its spare gone. */
  releaseUid(uid: number): void {
    killUid(uid);
    this.pool.release(uid);
  }
}
