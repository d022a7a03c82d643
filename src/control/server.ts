import { chmodSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import type { SessiondError } from '../contract/errors.js';
import type { Handlers } from './dispatch.js';
import { ServedConnection } from './served-connection.js';

/** The control socket: newline-delimited JSON requests in, one reply line (or several, for streams) out; flow control per client in ServedConnection. */
export class ControlServer {
  private readonly server: Server;
  private readonly connections = new Set<ServedConnection>();

  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {
    // Half-open: a client that ends its side after its last request still gets the replies.
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.accept(socket));
    this.server.on('error', (error) => this.log.error({ err: error }, 'control socket error'));
  }

  /** Binds `path` with mode 0600. The caller holds the instance lock, so a leftover socket file is stale. */
  async listen(path: string): Promise<void> {
    rmSync(path, { force: true });
    // bind() creates the socket file through the umask: make it 0600 from its first moment.
    const umask = process.umask(0o177);
    try {
      await new Promise<void>((resolve, reject) => {
        this.server.once('error', reject);
        this.server.listen(path, () => {
          this.server.off('error', reject);
          resolve();
        });
      });
    } finally {
      process.umask(umask);
    }
    chmodSync(path, 0o600);
  }

  /**
   * Stops accepting, tells every client `farewell` (why the daemon goes: a follower then knows
   * whether to wait for the next one), ends every connection once its replies are written
   * (1 s at most), removes the socket file.
   */
  async close(path: string, farewell?: SessiondError): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const ended = [...this.connections].map((connection) => connection.end(farewell));
    const timer = new AbortController();
    await Promise.race([Promise.all(ended), sleep(1000, undefined, { signal: timer.signal }).catch(() => undefined)]);
    timer.abort();
    for (const connection of this.connections) connection.destroy();
    await closed;
    rmSync(path, { force: true });
  }

  private accept(socket: Socket): void {
    const connection = new ServedConnection(socket, this.handlers, this.log);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }
}
