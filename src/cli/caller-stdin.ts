import { fstatSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';

// Whether our stdin is /dev/null (as under `stdio: 'ignore'`, `< /dev/null`, cron): it holds nothing,
// and merely touching process.stdin costs a few ms of setting up a stream over it.
function stdinIsNull(): boolean {
  const ours = fstatSync(0);
  return ours.isCharacterDevice() && ours.rdev === statSync('/dev/null', { throwIfNoEntry: false })?.rdev;
}

/** Joins our stdin to `to` (ended with ours); the function returned lets go of our stdin, so that nothing keeps us alive. */
export function joinStdin(to: Writable): () => void {
  if (stdinIsNull()) {
    to.end();
    return () => undefined;
  }
  process.stdin.pipe(to);
  return () => {
    process.stdin.unpipe(to);
    process.stdin.destroy();
  };
}
