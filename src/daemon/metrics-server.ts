import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { SessiondError } from '../contract/errors.js';
import { formatAddress, type MetricsAddress } from './metrics-address.js';

/**
 * The HTTP endpoint of `--metrics`: GET /metrics, Prometheus text. It binds before the daemon
 * starts any session, so an address in use stops the start with a message naming it; it
 * answers 503 until the registry is served.
 */
export class MetricsServer {
  private registry: Registry | null = null;

  private constructor(
    private readonly server: Server,
    /** http://HOST:PORT/metrics, with the port bound (port 0 asks for a free one). */
    readonly url: string,
  ) {}

  static async listen(address: MetricsAddress): Promise<MetricsServer> {
    let self: MetricsServer | null = null;
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('sessiond serves GET /metrics only\n');
        return;
      }
      const registry = self?.registry;
      if (!registry) {
        response.writeHead(503, { 'content-type': 'text/plain' }).end('sessiond is starting\n');
        return;
      }
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`),
      );
    });
    const named = formatAddress(address);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new SessiondError('invalid_params', `cannot serve metrics on ${named}: ${why(error)}`, { cause: error })));
      server.listen(address.port, address.host, () => resolve());
    });
    const bound = server.address();
    const port = bound !== null && typeof bound === 'object' ? bound.port : address.port;
    self = new MetricsServer(server, `http://${formatAddress({ host: address.host, port })}/metrics`);
    return self;
  }

  serve(registry: Registry): void {
    this.registry = registry;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function why(error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return 'the address is in use (by another sessiond or exporter?); pick another port with --metrics HOST:PORT';
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return 'this machine has no such address';
  if (error.code === 'EACCES') return 'permission denied (ports below 1024 need privileges)';
  return error.message;
}
