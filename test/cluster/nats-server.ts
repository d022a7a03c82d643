import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { tempHome, waitFor } from '../helpers/proc.js';

/** Fails, saying how to install it, when nats-server is missing: a cluster test never skips silently. */
export function requireNatsServer(): void {
  const found = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error('nats-server is not installed: the cluster tests start a real one. Install it with `apt-get install nats-server` (Debian/Ubuntu) or from https://github.com/nats-io/nats-server/releases, then run the tests again');
  }
}

/** A free loopback port, as the kernel hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A real `nats-server -js` on a free loopback port with its own store dir, as nex's tests start one. */
export class NatsServer {
  private process: ChildProcess | null = null;
  private env: NodeJS.ProcessEnv = process.env;
  private readonly store = tempHome('sessiond-nats-');

  private constructor(
    readonly port: number,
    private readonly args: (port: number, dir: string) => readonly string[],
  ) {}

  /** Its store dir (a config file given with `args` may go there too). */
  get dir(): string {
    return this.store.dir;
  }

  /** What the server logged (`-l`): permission violations, say. */
  log(): string {
    return existsSync(join(this.store.dir, 'nats.log')) ? readFileSync(join(this.store.dir, 'nats.log'), 'utf8') : '';
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  /** `args` adds nats-server flags (`--user U --pass P`, say), or makes them from its port and store dir (a config file). */
  static async start(args: readonly string[] | ((port: number, dir: string) => readonly string[]) = [], env: NodeJS.ProcessEnv = process.env): Promise<NatsServer> {
    requireNatsServer();
    const server = new NatsServer(await freePort(), typeof args === 'function' ? args : () => args);
    server.env = env;
    await server.run();
    return server;
  }

  /** Starts it (again: same port, same store, so JetStream's buckets survive) and waits until it accepts connections. */
  async run(): Promise<void> {
    const args = ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.store.dir, '-l', join(this.store.dir, 'nats.log'), ...this.args(this.port, this.store.dir)];
    this.process = spawn('nats-server', args, { stdio: 'ignore', env: this.env });
    await waitFor(() => accepts(this.port), `nats-server on port ${this.port}`, 10_000, 50);
  }

  /** SIGKILLs it and waits for its exit. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.kill();
    this.store.cleanup();
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
