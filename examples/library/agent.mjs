// A long-lived agent child: it answers each message (`sessionctl send`, the library's `send`),
// reports its progress, and runs until its session stops it. A child that finishes its work and
// exits should be `restart: 'temporary'` (or 'transient'): a 'permanent' one (the default) is
// started again, and one that keeps exiting ends its session once past restart intensity.
import { startChild } from 'sessiond/child';

const child = await startChild({ onShutdown: async () => { /* flush, close: SIGTERM's grace is yours */ } });
const { model = 'no model configured' } = child.init.llmConfig; // secrets come here, over IPC: never print them
console.log(`agent of ${child.init.session} ready`, child.init.metadata);
setInterval(() => child.activity('waiting'), 10_000); // keeps the session active, not idle

child.onMessage(async (body) => { // answers `sessionctl send`; a throw is the caller's child_error
  child.activity('working');
  child.publish('progress', { got: body }); // `sessionctl messages` shows it
  return { got: body, model };
});
