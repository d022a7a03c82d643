// Variables that make every Node process do work before its first line of JavaScript, the same
// for every system measured. NODE_EXTRA_CA_CERTS has Node read and parse the whole bundle it names
// at each start: on the 2-core VM of 2026-12-07, with the system's 200 KB bundle, `node -e 0` took
// 95 ms with it and 55 without. Set, it adds the same ~40 ms to both sides of every ratio to a bare
// Node start (sessionctl's against `node -e 0`, a supervisor's, a worker's), which then reads as
// smaller than Node's own speed makes it. The run unsets these for everything it starts, once its
// installs (npm may need the bundle to reach its registry) are done, and says so.
export const START_UP_ENV = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'NODE_V8_COVERAGE'] as const;

/** Unsets the start-up variables in `env`; returns the names that were set. */
export function unsetStartUpEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const set = START_UP_ENV.filter((name) => env[name] !== undefined);
  for (const name of set) delete env[name];
  return set;
}
