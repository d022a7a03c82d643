// Everything the bench starts registers how to stop it here; the actions run at the end, on
// failure, and on Ctrl-C or SIGTERM, newest first.
type Action = () => Promise<void> | void;

const actions: Action[] = [];
let running: Promise<void> | null = null;

/** Registers an action; the returned function unregisters it (once done normally). */
export function onCleanup(action: Action): () => void {
  actions.push(action);
  return () => {
    const i = actions.lastIndexOf(action);
    if (i >= 0) actions.splice(i, 1);
  };
}

export function runCleanup(): Promise<void> {
  running ??= (async () => {
    while (actions.length > 0) {
      const action = actions.pop()!;
      try {
        await action();
      } catch (error) {
        console.error(`bench: cleanup: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  })();
  return running;
}

/** Ctrl-C and SIGTERM: clean up, then exit 130 / 143. A second signal exits at once. */
export function cleanupOnSignals(): void {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}: stopping everything the bench started…`);
      process.once(signal, () => process.exit(code));
      void runCleanup().finally(() => process.exit(code));
    });
  }
}
