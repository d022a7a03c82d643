import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { SessiondError } from '../contract/errors.js';
import type { ToSupervisor } from '../ipc/supervisor-messages.js';
import type { ExecReport } from './exec-messages.js';

/**
 * Passes a client's connection (its file descriptor) to the session's supervisor with the order
 * to serve it: the exec's bytes then flow between the client and the supervisor, never through
 * the daemon, which holds nothing of it once this resolves.
 */
export function handOver(subprocess: ChildProcess | undefined, message: Extract<ToSupervisor, { type: 'exec' | 'exec_output' | 'attach' }>, socket: Socket): Promise<void> {
  if (!subprocess?.connected) return Promise.reject(new SessiondError('not_running', 'the session has no supervisor to run it'));
  // Node's pause() only stops emitting: the handle reads on, and once the handle is sent, what it
  // reads (the client's first bytes, written as soon as the supervisor replies) is dropped, until
  // the supervisor's ACK closes it here. So reading stops at the handle before it goes.
  const handle = (socket as unknown as { _handle?: { reading?: boolean; readStop?: () => number } | null })._handle;
  if (handle?.readStop) {
    handle.reading = false;
    handle.readStop();
  }
  if (socket.readableLength > 0) return Promise.reject(new SessiondError('invalid_request', 'exec, exec-output and attach: the client sent bytes before the first reply; send nothing after the request line until it comes'));
  // A socket of a net.Server is tracked across processes when sent (cluster's bookkeeping), and the
  // server's close would then wait on the supervisor; detached from its server, it is a plain fd.
  const server = (socket as unknown as { server: unknown }).server;
  (socket as unknown as { server: unknown }).server = null;
  return new Promise((resolve, reject) => {
    subprocess.send(message, socket, { keepOpen: false }, (error) => {
      if (error) {
        (socket as unknown as { server: unknown }).server = server;
        return reject(new SessiondError('not_running', `the session's supervisor could not take the connection: ${error.message}`));
      }
      socket.destroy(); // its fd went with the message: this only settles the server's count
      resolve();
    });
  });
}

/** The fields of exec.started / exec.exited: the program's name, never its arguments. */
export function execEventFields(report: ExecReport): Record<string, unknown> {
  const { pid, program, code, signal } = report;
  return report.event === 'started' ? { pid, program } : { pid, program, code, signal };
}
