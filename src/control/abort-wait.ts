/**
 * A promise that settles when `signal` aborts, and `dispose()` that takes its listener back.
 * A stream awaits it beside its other waits; its `finally` disposes, so a stream that ends for
 * any reason (cut off, error, done) leaves nothing on a signal that outlives it.
 */
export function abortWait(signal: AbortSignal): { readonly aborted: Promise<void>; readonly dispose: () => void } {
  let resolve: () => void = () => undefined;
  const aborted = new Promise<void>((settle) => (resolve = settle));
  const listener = () => resolve();
  signal.addEventListener('abort', listener, { once: true });
  return { aborted, dispose: () => signal.removeEventListener('abort', listener) };
}
