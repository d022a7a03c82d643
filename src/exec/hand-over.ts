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
export function handOver(subprocess: ChildProcess | undefined, message: Extract<ToSupervisor, { type: 'exec' | 'attach' }>, socket: Socket): Promise<void> {
  if (!subprocess?.connected) return Promise.reject(new SessiondError('not_running', 'the session has no supervisor to run it'));
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
