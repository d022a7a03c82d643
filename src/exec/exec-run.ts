import { statSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { ChildrenLeaf } from '../cgroup/children-leaf.js';
import { longTimeout } from '../contract/long-timer.js';
import type { RunMarker } from '../process/marker.js';
import { signalGroupIfAllowed, sweepExec } from './exec-sweep.js';
import { killProcess, stopProcess } from '../process/stop.js';
import type { ExecOrder, ExecReport } from './exec-messages.js';
import { programName, spawnExec, type ExecProcess } from './exec-process.js';
import { encodeFrame, FRAME, readResize, STREAM, type ExecExit } from './frames.js';
import { pumpIn, pumpOut } from './frame-pump.js';
import { refuse, type OutputPairing } from './output-pairing.js';
import { replyLine } from './reply-line.js';

/** SIGTERM, then SIGKILL of the tree this long after: a timeout's and a vanished caller's stop. */
export const EXEC_GRACE_MS = 5000;
// Output still buffered in the pipes once the tree is gone is sent; a pipe held open past this by
// a process outside the tree (it cannot be: the marker finds it) would not hold the exit back.
const DRAIN_MS = 2000;

/** One running exec, as its supervisor holds it. */
export interface RunningExec {
  /** A stop of the session: SIGTERM, SIGKILL of the tree after `graceMs`; resolves once all of it is gone. */
  stop(graceMs: number): Promise<void>;
  /** The supervisor is orphaned: SIGKILL at once. */
  kill(): Promise<void>;
  /** Resolves once the exec has ended and its caller was told. */
  readonly done: Promise<void>;
}

/**
 * Runs one exec on its caller's own connection: the first reply line (the pid, or why it cannot
 * start), then frames both ways until the exit frame. With an output connection (`order.output`,
 * paired by `pairing`), that connection's socket is the process's stdout: its bytes go to the
 * caller without passing through us, and it is ended once the process's tree is gone. The caller
 * going away stops it (SIGTERM, SIGKILL 5 s later), so no exec outlives its caller; its end
 * touches nothing else of the session.
 */
export async function runExec(order: ExecOrder, socket: Socket, marker: RunMarker, leaf: ChildrenLeaf | undefined, report: (r: ExecReport) => void, pairing: OutputPairing): Promise<RunningExec | null> {
  socket.on('error', () => undefined); // a vanished caller is normal: its 'close' stops the exec
  const output = order.output === null ? null : await pairing.claim(order.output, socket);
  if (output && 'code' in output) {
    socket.end(replyLine(order.request, { error: output }));
    return null;
  }
  const badCwd = cwdProblem(order.cwd);
  if (badCwd) {
    if (output) refuse(output, { code: 'invalid_params', message: badCwd });
    socket.end(replyLine(order.request, { error: { code: 'invalid_params', message: badCwd } }));
    return null;
  }
  // Its reply is out before the process can write a byte behind it.
  if (output) await new Promise((resolve) => output.socket.write(replyLine(output.request, { result: { stream: 'stdout' } }), resolve));
  const proc = await spawnExec(order, marker, leaf, output?.socket);
  const program = programName(order);
  let timedOut = false;
  let stopping: Promise<unknown> | null = null;
  // A stop the supervisor may not make (EPERM) is reported, never a rejection: the daemon's kill of the session ends it.
  const stop = (graceMs: number) => (stopping ??= stopProcess(proc, graceMs, [], marker).catch(cannotKill));
  socket.write(replyLine(order.request, { result: { pid: proc.pid > 0 ? proc.pid : null } }));
  if (proc.pid > 0) report({ event: 'started', pid: proc.pid, program, code: null, signal: null });

  pumpIn(socket, proc.stdin, (frame) => {
    if (frame.type === FRAME.eof) proc.stdin?.end();
    else if (frame.type === FRAME.resize) {
      const size = readResize(frame.payload);
      if (size) proc.resize(size.cols, size.rows);
    }
  });
  const outputs = [proc.stdout && pumpOut(proc.stdout, STREAM.stdout, socket), proc.stderr && pumpOut(proc.stderr, STREAM.stderr, socket)];
  // Up to 365 days: a plain setTimeout past 2^31 ms would fire at once.
  const timer = order.timeoutMs === null ? null : longTimeout(() => ((timedOut = true), void stop(EXEC_GRACE_MS)), order.timeoutMs);
  let finished = false;
  socket.once('close', () => finished || void stop(EXEC_GRACE_MS));
  if (socket.destroyed) void stop(EXEC_GRACE_MS); // gone while its output connection was answered

  const done = (async () => {
    const exit = await proc.exited;
    finished = true;
    timer?.cancel();
    // Whatever it left running goes with it: its group at once (one signal), so the pipes it
    // held close; then, once the caller has its exit, the sweep for any that left the group.
    if (proc.pid > 0) signalGroupIfAllowed(proc.pid);
    await Promise.race([Promise.all(outputs), new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
    const failure = proc.failure();
    if (failure && !socket.destroyed) socket.write(encodeFrame(FRAME.data, STREAM.stderr, Buffer.from(`sessiond: exec: ${failure}\n`)));
    const ended: ExecExit = { code: exit.code, signal: exit.signal, timedOut };
    // Its tree is gone: the caller reads every byte it wrote, then the end (shutdown: the shared socket's write side).
    if (output) endOutput(output.socket);
    if (!socket.destroyed) socket.end(encodeFrame(FRAME.exit, STREAM.stdout, Buffer.from(JSON.stringify(ended))));
    await sweepExec(proc.pid, marker, leaf);
    if (proc.pid > 0) report({ event: 'exited', pid: proc.pid, program, code: exit.code, signal: exit.signal });
  })();
  return {
    stop: async (graceMs) => {
      await stop(graceMs);
      await done;
    },
    kill: async () => {
      await killProcess(proc, [], marker).catch(cannotKill);
      await done;
    },
    done,
  };
}

function endOutput(output: Socket): void {
  if (!output.destroyed) output.end(() => output.destroy());
}

// Checked before the spawn: Node reports a missing cwd as the command's ENOENT, which would read as 127.
function cwdProblem(cwd: string): string | null {
  try {
    return statSync(cwd).isDirectory() ? null : `--cwd ${cwd} is not a directory`;
  } catch {
    return `--cwd ${cwd} does not exist in the session`;
  }
}

export type { ExecProcess };

function cannotKill(error: unknown): void {
  process.stderr.write(`session-supervisor: could not kill every process of an exec: ${error instanceof Error ? error.message : String(error)}; the daemon's stop of the session will\n`);
}
