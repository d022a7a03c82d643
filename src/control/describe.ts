import { existsSync } from 'node:fs';
import { childLogFile, sessionLogDir } from '../contract/paths.js';
import type { ChildSpec, SessionSpec } from '../contract/spec.js';
import type { AutoShutdown, Backoff, RestartType, Strategy } from '../contract/vocabulary.js';

/** How one child is run, as `describe` (and `info`) show it: its spec, with env keys only, and its log files. */
export interface ChildDescription {
  readonly name: string;
  /** A Node module, or (null) a command. */
  readonly file: string | null;
  readonly command: string | null;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The keys of the spec's `env`: its values never leave the daemon (they may hold secrets). */
  readonly envKeys: readonly string[];
  readonly restart: RestartType;
  readonly shutdownMs: number;
  readonly significant: boolean;
  readonly restartDelayMs: number;
  readonly backoff: Backoff;
  readonly maxRestartDelayMs: number;
  /** Stopped on request (`child stop`): not restarted until asked. */
  readonly held: boolean;
  /** Its log, then the rotated files there are, newest first. */
  readonly logs: readonly string[];
}

export interface SessionDescription {
  readonly id: string;
  readonly strategy: Strategy;
  readonly maxRestarts: number;
  readonly maxSeconds: number;
  readonly autoShutdown: AutoShutdown;
  readonly children: readonly ChildDescription[];
}

/** `describe`: a session's spec as it runs now (children added or stopped since included). */
export function describeSession(spec: SessionSpec, sessionsDir: string): SessionDescription {
  const dir = sessionLogDir(sessionsDir, spec.id);
  const held = new Set(spec.held ?? []);
  const { id, strategy, maxRestarts, maxSeconds, autoShutdown } = spec;
  return { id, strategy, maxRestarts, maxSeconds, autoShutdown, children: spec.children.map((child) => describeChild(child, childLogFile(dir, child.name), held.has(child.name))) };
}

function describeChild(child: ChildSpec, log: string, held: boolean): ChildDescription {
  const { name, args, cwd, restart, shutdownMs, significant, restartDelayMs, backoff, maxRestartDelayMs } = child;
  return {
    name,
    file: child.file ?? null,
    command: child.command ?? null,
    args,
    cwd,
    envKeys: Object.keys(child.env),
    restart,
    shutdownMs,
    significant,
    restartDelayMs,
    backoff,
    maxRestartDelayMs,
    held,
    logs: [log, ...rotatedThere(log)],
  };
}

function rotatedThere(log: string): string[] {
  const files: string[] = [];
  for (let n = 1; existsSync(`${log}.${n}`); n++) files.push(`${log}.${n}`);
  return files;
}
