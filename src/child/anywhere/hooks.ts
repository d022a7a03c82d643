// The module resolution hook of import.ts: 'sessiond/child' and 'sessiond' resolve to this
// install's files when the child's own folders have none. Only a failed lookup is changed, so a
// sessiond installed next to the child always wins.

const TARGETS: Readonly<Record<string, string>> = {
  'sessiond/child': new URL('../index.js', import.meta.url).href,
  sessiond: new URL('../../index.js', import.meta.url).href,
};

interface Resolved {
  readonly url: string;
  readonly shortCircuit?: boolean;
}

type Next<R> = (specifier: string, context?: unknown) => R;

/** For module.register (Node 20: the hooks run in a thread of their own). */
export async function resolve(specifier: string, context: unknown, next: Next<Promise<Resolved>>): Promise<Resolved> {
  const target = TARGETS[specifier];
  if (target === undefined) return next(specifier, context);
  try {
    return await next(specifier, context);
  } catch (error) {
    return fallBack(error, target);
  }
}

/** For module.registerHooks (Node ≥ 22.15: in the child's own thread, far cheaper). */
export function resolveSync(specifier: string, context: unknown, next: Next<Resolved>): Resolved {
  const target = TARGETS[specifier];
  if (target === undefined) return next(specifier, context);
  try {
    return next(specifier, context);
  } catch (error) {
    return fallBack(error, target);
  }
}

function fallBack(error: unknown, target: string): Resolved {
  if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
  return { url: target, shortCircuit: true };
}
