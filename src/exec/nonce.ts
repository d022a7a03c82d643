import { closeSync, openSync, readSync } from 'node:fs';

/**
 * `bytes` random bytes from the kernel, in hex: what crypto.randomBytes gives, read without
 * node:crypto, whose ~20 modules cost every `sessionctl exec` ~8 ms of start-up.
 */
export function randomHex(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let at = 0; at < bytes; ) at += readSync(fd, buffer, at, bytes - at, null);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('hex');
}
