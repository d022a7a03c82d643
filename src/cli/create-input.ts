import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import type { ChildSpecInput, SessionSpecInput } from '../contract/spec.js';
import { splitWords } from './split-words.js';
import { parseLimitFlags, type LimitFlags } from './limit-flags.js';

export interface CreateFlags {
  readonly id?: string;
  readonly metadata?: readonly string[];
  readonly llmConfig?: string;
  /** `--child NAME=FILE` and `--command NAME=CMDLINE` in the order given: children start in that order. */
  readonly children?: readonly ChildFlag[];
  readonly spec?: string;
  readonly strategy?: string;
  readonly maxRestarts?: number;
  readonly maxSeconds?: number;
  readonly limits?: LimitFlags;
  readonly autoShutdown?: string;
  /** `--isolate`/`--no-isolate`, `--read-only`, `--no-network`, `--keep-workdir`: undefined when not given. */
  readonly isolation?: { readonly isolate?: boolean | undefined; readonly readOnly?: boolean | undefined; readonly network?: boolean | undefined; readonly keepWorkdir?: boolean | undefined };
}

export interface ChildFlag {
  readonly kind: 'child' | 'command';
  readonly value: string;
}

/**
 * Turns `create`'s flags into the session spec sent to the daemon: the spec file first, the
 * flags over it (`--child`/`--command` add children after the spec's); relative files resolved
 * here, against `cwd` (a spec's own children against the spec file's directory), since the
 * daemon does not share our working directory. The daemon validates the result.
 */
export function buildCreateInput(flags: CreateFlags, cwd: string): SessionSpecInput {
  const base = flags.spec === undefined ? {} : readSpec(resolve(cwd, flags.spec));
  const input: Record<string, unknown> = { ...base };
  if (flags.id !== undefined) input.id = flags.id;
  if (flags.metadata?.length) input.metadata = { ...asObject(base.metadata), ...Object.fromEntries(flags.metadata.map((kv) => pair(kv, '--metadata', 'K=V'))) };
  if (flags.llmConfig !== undefined) input.llmConfig = { ...asObject(base.llmConfig), ...parseLlmConfig(readLlmConfig(flags.llmConfig, cwd)) };
  if (flags.children?.length) input.children = addChildren(base.children, flags.children, cwd);
  if (flags.strategy !== undefined) input.strategy = flags.strategy;
  if (flags.maxRestarts !== undefined) input.maxRestarts = flags.maxRestarts;
  if (flags.maxSeconds !== undefined) input.maxSeconds = flags.maxSeconds;
  Object.assign(input, parseLimitFlags(flags.limits ?? {}));
  if (flags.autoShutdown !== undefined) input.autoShutdown = flags.autoShutdown;
  for (const [key, value] of Object.entries(flags.isolation ?? {})) if (value !== undefined) input[key] = value;
  return input as SessionSpecInput;
}

/** Collects `--child`/`--command` values from raw arguments in their order (yargs keeps one array per flag). */
export function childFlagsInOrder(args: readonly string[]): ChildFlag[] {
  const flags: ChildFlag[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    const match = /^--(child|command)(?:=(.*))?$/s.exec(arg);
    if (!match) continue;
    const value = match[2] ?? args[++i];
    if (value !== undefined) flags.push({ kind: match[1] as ChildFlag['kind'], value });
  }
  return flags;
}

function addChildren(specChildren: unknown, flags: readonly ChildFlag[], cwd: string): unknown[] {
  const children: unknown[] = Array.isArray(specChildren) ? [...specChildren] : [];
  const names = new Set(children.map((c) => (c !== null && typeof c === 'object' ? (c as { name?: unknown }).name : undefined)));
  for (const flag of flags) {
    const child = childOf(flag, cwd);
    if (names.has(child.name)) {
      throw new SessiondError('invalid_params', `--${flag.kind} ${flag.value}: a child named ${child.name} is already given (by the spec or an earlier flag); child names are unique`);
    }
    names.add(child.name);
    children.push(child);
  }
  return children;
}

/** One `--child NAME=FILE` (FILE made absolute against `cwd`) or `--command NAME=CMDLINE` (split into the executable and its args). */
export function childOf(flag: ChildFlag, cwd: string): ChildSpecInput {
  const [name, rest] = pair(flag.value, `--${flag.kind}`, flag.kind === 'child' ? 'NAME=FILE' : 'NAME=CMDLINE');
  if (flag.kind === 'child') return { name, file: resolve(cwd, rest) };
  const [command, ...args] = splitWords(rest);
  if (command === undefined) throw new SessiondError('invalid_params', `--command ${flag.value}: the command line is empty`);
  return { name, command, args };
}

/** `K=V` → [K, V]; anything else names the flag and the shape it wants. */
export function pair(text: string, flag: string, shape: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SessiondError('invalid_params', `${flag} ${JSON.stringify(text)}: expected ${shape}`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** `--llm-config JSON`, `@FILE` (relative to cwd) or `-` (stdin): a key need never be in argv or shell history. */
function readLlmConfig(value: string, cwd: string): string {
  if (value === '-') return readFileSync(0, 'utf8');
  if (!value.startsWith('@')) return value;
  const file = resolve(cwd, value.slice(1));
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new SessiondError('invalid_params', `--llm-config ${value}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseLlmConfig(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SessiondError('invalid_params', `--llm-config is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SessiondError('invalid_params', '--llm-config must be a JSON object, e.g. \'{"model":"m"}\' (keys: from @FILE or - for stdin)');
  }
  return value as Record<string, unknown>;
}

function readSpec(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SessiondError('invalid_params', `cannot read spec file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (error) {
    throw new SessiondError('invalid_params', `spec file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new SessiondError('invalid_params', `spec file ${file} must hold a JSON object`);
  const children = (spec as { children?: unknown }).children;
  if (!Array.isArray(children)) return spec as Record<string, unknown>;
  // A spec's module paths and working directories are relative to the spec file, as in a compose file.
  const dir = dirname(file);
  const resolved = children.map((c: unknown) => (c !== null && typeof c === 'object' && !Array.isArray(c) ? { ...c, ...resolvedPaths(c as { file?: unknown; cwd?: unknown }, dir) } : c));
  return { ...(spec as Record<string, unknown>), children: resolved };
}

function resolvedPaths(child: { file?: unknown; cwd?: unknown }, dir: string): { file?: string; cwd?: string } {
  return {
    ...(typeof child.file === 'string' ? { file: resolve(dir, child.file) } : {}),
    ...(typeof child.cwd === 'string' && child.cwd !== '' ? { cwd: resolve(dir, child.cwd) } : {}),
  };
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
