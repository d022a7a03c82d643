// The daemon → supervisor messages that hand over a client's connection (sent with the socket as
// the IPC handle), and the supervisor → daemon reports of an exec. Shapes, not zod: the supervisor loads this.
import { array, int, nullable, number, object, oneOf, record, string, unknown, type Infer } from '../ipc/shape.js';

export const execOrder = object({
  /** The client's request id: its first reply line names it. */
  request: unknown,
  argv: array(string, 1),
  /** Absolute: the daemon resolved it against the session's cwd. */
  cwd: string,
  /** Laid over the session's environment. */
  env: record(string),
  timeoutMs: nullable(int(1)),
  /** A pseudo-terminal of this size, or plain pipes. */
  tty: nullable(object({ cols: int(1), rows: int(1) })),
  /** The nonce of its output connection (exec_output), whose socket is then its stdout; null: stdout as frames. */
  output: nullable(string),
});
export type ExecOrder = Infer<typeof execOrder>;

/** An exec's output connection, waiting for the exec that names its nonce. */
export const outputOrder = object({ request: unknown, nonce: string });
export type OutputOrder = Infer<typeof outputOrder>;

export const attachOrder = object({ request: unknown, child: string });
export type AttachOrder = Infer<typeof attachOrder>;

/** What travels to the daemon for the events exec.started and exec.exited (the program's name, never its arguments). */
export const execReport = object({
  event: oneOf('started', 'exited'),
  pid: nullable(int()),
  program: string,
  code: nullable(number),
  signal: nullable(string),
});
export type ExecReport = Infer<typeof execReport>;
