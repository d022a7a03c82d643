import { isIP } from 'node:net';
import { SessiondError } from '../contract/errors.js';

export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
  /** Only this machine can connect: the metrics name sessions, so that is the default. */
  readonly loopback: boolean;
}

/** `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, or a bare port (on 127.0.0.1); port 0 picks a free one. */
export function parseMetricsAddress(text: string, flag = '--metrics'): MetricsAddress {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]*)):)?(\d+)$/.exec(text);
  const bad = (why: string) => new SessiondError('invalid_params', `${flag} ${JSON.stringify(text)}: ${why}; give HOST:PORT, e.g. 127.0.0.1:9464`);
  if (!match) throw bad('not an address');
  const host = match[1] ?? (match[2] || '127.0.0.1');
  const port = Number(match[3]);
  if (port > 65_535) throw bad('the port is past 65535');
  if (match[1] !== undefined && isIP(host) !== 6) throw bad('[…] holds an IPv6 address');
  return { host, port, loopback: isLoopback(host) };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** How a URL names the address: IPv6 in brackets. */
export function formatAddress(address: { host: string; port: number }): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
