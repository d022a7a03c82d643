// The memory-limit worker: says ready as a sessiond child, then holds 20 MiB more every 100 ms
// (pages touched, so they are resident) until something kills it.
const { startChild } = await import(new URL('../../dist/src/child/index.js', import.meta.url).href);
await startChild();
const held = [];
setInterval(() => held.push(Buffer.alloc(20 * 1024 * 1024, 1)), 100);
