import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { SessiondError } from '../contract/errors.js';
import { isRunning } from '../process/proc.js';

export interface UidRange {
  readonly first: number;
  readonly last: number;
}

/** `FIRST-LAST` as `sessiond --uid-range` takes it: above 0, at most 2^31-2 (past that, tools read uids as negative). */
export function parseUidRange(text: string, label = '--uid-range'): UidRange {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  const [first, last] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(first >= 1 && last >= first && last <= 2 ** 31 - 2)) {
    throw new SessiondError('invalid_params', `${label} ${JSON.stringify(text)}: expected FIRST-LAST, two uids with 1 <= FIRST <= LAST <= 2147483646, e.g. 2000000-2999999`);
  }
  return { first, last };
}

/**
 * The first uid of the range, from `start` on (wrapping round), that `taken` does not hold;
 * null when every one is. Pure: the pool says what is taken.
 */
export function pickUid(range: UidRange, start: number, taken: (uid: number) => boolean, tries = 4096): number | null {
  const size = range.last - range.first + 1;
  const from = Math.min(Math.max(start, range.first), range.last) - range.first;
  for (let i = 0; i < Math.min(size, tries); i++) {
    const uid = range.first + ((from + i) % size);
    if (!taken(uid)) return uid;
  }
  return null;
}

/** Uids the host has given someone: login users and groups, and subordinate ranges (rootless containers). */
export function hostUids(files = { passwd: '/etc/passwd', group: '/etc/group', subuid: '/etc/subuid', subgid: '/etc/subgid' }): (uid: number) => boolean {
  const single = new Set<number>();
  const ranges: UidRange[] = [];
  for (const file of [files.passwd, files.group]) {
    for (const line of readLines(file)) {
      const id = Number(line.split(':')[2]);
      if (Number.isInteger(id)) single.add(id);
    }
  }
  for (const file of [files.subuid, files.subgid]) {
    for (const line of readLines(file)) {
      const [, start, count] = line.split(':').map(Number);
      if (Number.isInteger(start) && Number.isInteger(count)) ranges.push({ first: start!, last: start! + count! - 1 });
    }
  }
  return (uid) => single.has(uid) || ranges.some((r) => uid >= r.first && uid <= r.last);
}

/** Owners of running processes, read from /proc (a process's folder belongs to its effective uid). */
export function processUids(): Set<number> {
  const uids = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statSync(`/proc/${name}`, { throwIfNoEntry: false });
    if (stat) uids.add(stat.uid);
  }
  return uids;
}

/**
 * The uids of isolated sessions: one a session (or spare), never the daemon's, never one the host
 * gives anyone, and never one that a process or a work dir left by an ended session may still
 * hold. A uid is handed out again only once none of that holds for it.
 */
export class UidPool {
  private readonly held = new Set<number>();
  private next: number;
  private readonly host: (uid: number) => boolean;

  constructor(
    readonly range: UidRange,
    /** Uids that own something in the work root (a kept work dir, one not yet removed). */
    private readonly owningFiles: () => Set<number>,
    /** Host-wide claims (one file a uid, holding the claiming daemon's pid): two daemons never share a uid. */
    private readonly claims: string,
  ) {
    this.next = range.first;
    this.host = hostUids();
  }

  /** A free uid, held until released; fails when the range has none left. */
  take(): number {
    const running = processUids();
    const files = this.owningFiles();
    const uid = pickUid(this.range, this.next, (u) => this.held.has(u) || running.has(u) || files.has(u) || this.host(u) || u === process.getuid?.() || !this.claim(u));
    if (uid === null) {
      throw new SessiondError('capacity', `no free uid left in ${this.range.first}-${this.range.last} for an isolated session: end some sessions, remove kept work dirs, or give sessiond a wider --uid-range`);
    }
    this.held.add(uid);
    this.next = uid + 1 > this.range.last ? this.range.first : uid + 1;
    return uid;
  }

  /** Holds a uid a resurrected session had: it is its own, whatever is left of it (unless another daemon has it now). */
  hold(uid: number): void {
    if (!this.claim(uid)) throw new SessiondError('start_failed', `uid ${uid} is held by another sessiond now (see ${this.claims})`);
    this.held.add(uid);
  }

  /** The session of `uid` has ended; its uid is free again once nothing of it is left (take checks). */
  release(uid: number): void {
    this.held.delete(uid);
    const file = join(this.claims, String(uid));
    if (claimant(file) === process.pid) rmSync(file, { force: true });
  }

  // Claims `uid` for this daemon: a claim file created exclusively; one whose daemon is gone is stale, and taken over.
  private claim(uid: number): boolean {
    mkdirSync(this.claims, { recursive: true, mode: 0o755 });
    const file = join(this.claims, String(uid));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = claimant(file);
        if (pid === process.pid) return true;
        if (pid !== null && isRunning(pid)) return false;
        rmSync(file, { force: true });
      }
    }
    return false;
  }

  isHeld(uid: number): boolean {
    return this.held.has(uid);
  }
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  } catch {
    return [];
  }
}

function claimant(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
