// The ready hub: a Unix socket on which every worker, under every system, writes "<unit> <pid>"
// once it is ready. It times crash → replacement the same way for all systems.
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface ReadyNote {
  readonly unit: string;
  readonly pid: number;
  /** performance.now() when the note arrived. */
  readonly at: number;
}

export class Hub {
  readonly path: string;
  private readonly waiters = new Map<string, Array<(note: ReadyNote) => void>>();
  private server: Server | null = null;

  constructor(dir: string) {
    this.path = join(dir, 'hub.sock');
  }

  async listen(): Promise<void> {
    const server = createServer((socket) => {
      let buffer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (buffer += chunk));
      socket.on('end', () => this.arrive(buffer.trim(), performance.now()));
      socket.on('error', () => undefined);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.path, resolve));
  }

  /** The next note from `unit` after this call; register it before triggering the start. */
  next(unit: string, timeoutMs = 15_000): Promise<ReadyNote> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.remove(unit, done);
        reject(new Error(`hub: no ready note from ${unit} within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (note: ReadyNote) => {
        clearTimeout(timer);
        resolve(note);
      };
      this.waiters.set(unit, [...(this.waiters.get(unit) ?? []), done]);
    });
  }

  close(): void {
    this.server?.close();
    this.server = null;
  }

  private arrive(line: string, at: number): void {
    const [unit, pid] = line.split(' ');
    if (!unit || !pid) return;
    const waiting = this.waiters.get(unit) ?? [];
    this.waiters.delete(unit);
    for (const done of waiting) done({ unit, pid: Number(pid), at });
  }

  private remove(unit: string, done: (note: ReadyNote) => void): void {
    const rest = (this.waiters.get(unit) ?? []).filter((w) => w !== done);
    if (rest.length) this.waiters.set(unit, rest);
    else this.waiters.delete(unit);
  }
}
