import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../process/entries.js';
import type { MsgHdrs, NatsConnection, NodeConnectionOptions } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';
import { errorMessage, SessiondError } from '../contract/errors.js';

/** The NATS client, loaded only where the cluster is used: no other path pays for it. */
export interface NatsModule {
  readonly connect: (options: NodeConnectionOptions) => Promise<NatsConnection>;
  readonly credsAuthenticator: (creds: Uint8Array) => NonNullable<NodeConnectionOptions['authenticator']>;
  readonly headers: () => MsgHdrs;
  readonly createInbox: () => string;
  readonly Kvm: new (nc: NatsConnection) => { create(name: string, options?: Record<string, unknown>): Promise<KV>; open(name: string): Promise<KV> };
}

let loaded: Promise<NatsModule> | null = null;

// scripts/bundle.mjs makes dist/vendor/nats.cjs, the client in one file: ~5× faster to load than
// its tree of ES modules, and required, not imported (code-cache.ts). Run from the sources (tests),
// the packages are imported as they are.
export function loadNats(): Promise<NatsModule> {
  return (loaded ??= (async () => {
    // Whichever bundle this code sits in (the daemon's, sessionctl's), the client is in dist/vendor/.
    const bundled = join(PACKAGE_ROOT, 'dist', 'vendor', 'nats.cjs');
    if (existsSync(bundled)) return createRequire(import.meta.url)(bundled) as NatsModule;
    const [core, kv] = await Promise.all([import('@nats-io/transport-node'), import('@nats-io/kv')]);
    return { connect: core.connect, credsAuthenticator: core.credsAuthenticator, headers: core.headers, createInbox: core.createInbox, Kvm: kv.Kvm } as unknown as NatsModule;
  })());
}

export interface ClusterAddress {
  /** The URL as given: `nats://host:4222`, `tls://user:pass@host:4222`, several comma-separated. */
  readonly url: string;
  /** A NATS credentials file (`--cluster-creds`): JWT and nkey seed. */
  readonly credsFile?: string | undefined;
}

/** The URL(s) without credentials: what a message may show. */
export function shownUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, '//');
}

/** NATS connection options from a URL (credentials in it become user/pass or token; `tls:` asks for TLS), and the creds file's bytes. */
export function natsOptions(address: ClusterAddress, name: string): { readonly options: NodeConnectionOptions; readonly creds: Uint8Array | null } {
  const servers: string[] = [];
  let auth: { user?: string; pass?: string; token?: string } = {};
  let tls = false;
  for (const text of address.url.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url: URL;
    try {
      url = new URL(text.includes('://') ? text : `nats://${text}`);
    } catch {
      throw new SessiondError('invalid_params', `--cluster ${JSON.stringify(shownUrl(text))} is not a URL; give nats://HOST:PORT or tls://HOST:PORT`);
    }
    if (!['nats:', 'tls:'].includes(url.protocol)) throw new SessiondError('invalid_params', `--cluster ${shownUrl(text)}: the scheme must be nats:// or tls://`);
    if (url.username) {
      const user = decodeURIComponent(url.username);
      auth = url.password ? { user, pass: decodeURIComponent(url.password) } : { token: user };
    }
    tls ||= url.protocol === 'tls:';
    servers.push(`${url.hostname}:${url.port || 4222}`);
  }
  if (!servers.length) throw new SessiondError('invalid_params', '--cluster needs a URL: nats://HOST:PORT');
  let creds: Uint8Array | null = null;
  if (address.credsFile) {
    try {
      creds = readFileSync(address.credsFile);
    } catch (error) {
      throw new SessiondError('invalid_params', `--cluster-creds ${address.credsFile} cannot be read: ${errorMessage(error)}`);
    }
  }
  return { options: { servers, name, ...auth, ...(tls ? { tls: {} } : {}) }, creds };
}

/** Connects to the cluster; `extra` adds options (reconnecting for ever, for a daemon). */
export async function connectCluster(address: ClusterAddress, name: string, extra: Partial<NodeConnectionOptions> = {}): Promise<{ nats: NatsModule; nc: NatsConnection }> {
  const { options, creds } = natsOptions(address, name);
  const nats = await loadNats();
  try {
    const nc = await nats.connect({ ...options, ...extra, ...(creds ? { authenticator: nats.credsAuthenticator(creds) } : {}) });
    return { nats, nc };
  } catch (error) {
    throw unreachableCluster(address.url, error);
  }
}

/** Why the cluster cannot be reached, as a user reads it. */
export function unreachableCluster(url: string, error: unknown): SessiondError {
  return new SessiondError('cluster_unavailable', `the cluster cannot be reached at ${shownUrl(url)} (${errorMessage(error)}); is nats-server running there? local sessions are not affected`, { cause: error });
}
