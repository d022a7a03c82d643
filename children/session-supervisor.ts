// The session supervisor: one OS process per session, a direct child of the daemon.
// Its session arrives over IPC (never argv or env: llmConfig may hold secrets).
import { Socket } from 'node:net';
import { SessiondError } from '../src/contract/errors.js';
import { describeIssues } from '../src/contract/issues.js';
import { toSupervisor, type FromSupervisor } from '../src/ipc/supervisor-messages.js';
import { rehearse, sweepYoung } from '../src/supervisor/rehearsal.js';
import { SparePlaceholder } from '../src/supervisor/spare.js';
import { Supervisor } from '../src/supervisor/supervisor.js';
import { EXEC_GRACE_MS } from '../src/exec/exec-run.js';
import { SessionExecs } from '../src/exec/session-execs.js';
import { attachable, ChildAttachments } from '../src/exec/child-attach.js';
import { restoreCaCerts } from '../src/process/ca-certs-env.js';

// Started without NODE_EXTRA_CA_CERTS (ca-certs-env.ts); our children get it back from here on.
restoreCaCerts();

let supervisor: Supervisor | null = null;
let spare: SparePlaceholder | null = null;
let execs: SessionExecs | null = null;
const attachments = new ChildAttachments();
let exiting = false;
let lastSend: Promise<void> = Promise.resolve();

function send(message: FromSupervisor): void {
  if (!process.connected) return;
  lastSend = new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

// Waits for the last report to be written to the channel, so the daemon reads why we exit.
function exit(code: number): void {
  exiting = true;
  // An exec never outlives its session: one still running now is SIGKILLed.
  void Promise.all([lastSend, execs?.killAll()]).then(() => process.exit(code));
}

// Node loads the global `performance` (perf_hooks and its dependencies) on first use, which a child's
// first ready makes: ~3 ms of CPU here. Loaded now, while a spare idles, not on a create's path.
performance.now();

if (!process.send) {
  process.stderr.write('session-supervisor: must be started by sessiond with an IPC channel\n');
  process.exit(2);
}

process.on('message', (raw: unknown, handle: unknown) => {
  const parsed = toSupervisor.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`session-supervisor: ignored a malformed message: ${describeIssues(parsed.error)}\n`);
    return;
  }
  const message = parsed.data;
  switch (message.type) {
    case 'spare': {
      if (supervisor || spare) return;
      spare = new SparePlaceholder(message.spare);
      const { pid } = spare.proc;
      // A spare whose Placeholder is gone is no spare: the daemon ends and replaces it. It does, not
      // we: a create may have taken us meanwhile (the daemon even kills the Placeholder itself when
      // the session cannot use the spare's cgroup), and its init, on its way, starts one anew.
      void spare.proc.exited.then(() => !supervisor && send({ type: 'spare_lost' }));
      // Ready once the Placeholder has loaded: a create that takes the spare then waits for nothing.
      // One that never answers is no spare either: discarded, which reports it lost as above.
      const taken = spare;
      if (pid > 0) {
        void taken.loaded().then((answered) => {
          if (answered) {
            sweepYoung();
            return send({ type: 'spare_ready', placeholderPid: pid });
          }
          if (supervisor || taken.proc.hasExited()) return;
          process.stderr.write(`session-supervisor: the spare Placeholder (pid ${pid}) did not answer a ping within the start timeout: discarded\n`);
          void taken.discard();
        });
      }
      // While the Placeholder loads: a create's init then runs code compiled already.
      try {
        rehearse(message.spare);
      } catch (error) {
        process.stderr.write(`session-supervisor: the spare's rehearsal failed (a create starts the session all the same): ${error instanceof Error ? error.message : String(error)}\n`);
      }
      break;
    }
    case 'init': {
      if (supervisor) return;
      const { session, ...options } = message.init;
      const taken = spare;
      const adopted = taken?.adoptableBy(session) ?? undefined;
      supervisor = new Supervisor(session, options, send, exit);
      execs = new SessionExecs(session.id, (report) => send({ type: 'exec', report }), options.childrenLeaf);
      const current = supervisor;
      // A spare taken by a session of its own children (or another id) stops its Placeholder first.
      void (adopted || !taken ? Promise.resolve() : taken.discard()).then(() => current.start(adopted));
      break;
    }
    case 'ping':
      send({ type: 'pong', seq: message.seq });
      break;
    case 'shutdown':
      shutdown();
      break;
    case 'exec':
      // The client's own connection, handed over by the daemon: src/exec speaks to it from here.
      if (execs && handle instanceof Socket) execs.start(message.exec, handle);
      else if (handle instanceof Socket) handle.destroy();
      break;
    case 'exec_output':
      if (execs && handle instanceof Socket) execs.output(message.output, handle);
      else if (handle instanceof Socket) handle.destroy();
      break;
    case 'attach':
      if (supervisor && handle instanceof Socket) attachments.attach(message.attach, handle, (name) => attachable(supervisor!, name));
      else if (handle instanceof Socket) handle.destroy();
      break;
    case 'request': {
      const { id } = message;
      if (!supervisor) return send({ type: 'response', id, error: { code: 'not_running', message: 'the supervisor has no session yet' } });
      supervisor.request(message.request).then(
        (result) => send({ type: 'response', id, result }),
        (error: unknown) => send({ type: 'response', id, error: wireError(error) }),
      );
      break;
    }
  }
});

// What a refused request says to the daemon: a SessiondError's code, anything else an internal error.
function wireError(error: unknown): { code: string; message: string } {
  if (error instanceof SessiondError) return { code: error.code, message: error.message };
  return { code: 'internal', message: `supervisor error: ${error instanceof Error ? error.message : String(error)}` };
}

// Execs stop beside the children (SIGTERM, SIGKILL after 5 s), not after them.
function shutdown(): void {
  void execs?.stopAll(EXEC_GRACE_MS);
  void (supervisor ? supervisor.shutdown() : (spare?.discard() ?? Promise.resolve()).then(() => exit(0)));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', () => {
  if (exiting) return;
  void (supervisor ? supervisor.orphaned() : (spare?.discard() ?? Promise.resolve()).then(() => exit(1)));
});
