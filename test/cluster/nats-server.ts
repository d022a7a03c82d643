import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
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
  private readonly store = tempHome('sessiond-nats-');

  private constructor(
    readonly port: number,
    private readonly args: readonly string[],
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  /** `args` adds nats-server flags (`--user U --pass P`, say). */
  static async start(args: readonly string[] = []): Promise<NatsServer> {
    requireNatsServer();
    const server = new NatsServer(await freePort(), args);
    await server.run();
    return server;
  }

  /** Starts it (again: same port, same store, so JetStream's buckets survive) and waits until it accepts connections. */
  async run(): Promise<void> {
    this.process = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.store.dir, ...this.args], { stdio: 'ignore' });
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
