import type { Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';
import type { AttachOrder } from './exec-messages.js';
import { FRAME, frameHeader, STREAM } from './frames.js';
import { pumpIn } from './frame-pump.js';
import { replyLine } from './reply-line.js';

/** What an attacher needs of a child: its spec's stdin, and the current run's pipes (null: not running). */
export interface Attachable {
  readonly stdin: 'ignore' | 'pipe' | undefined;
  readonly stdio: { readonly pid: number; readonly stdin: Writable | null; readonly stdout: Readable | null } | null;
}

type Refusal = { code: string; message: string };

/**
 * The attachers of a session's children, one a child at most. An attacher's bytes go to the
 * child's stdin; the child's stdout goes to it as well as to the log (a second 'data' listener,
 * paused while the attacher is full: a slow attacher slows the child). The client's EOF, its
 * going away, or the child's exit detaches it: the child runs on, its stdin still open.
 */
export class ChildAttachments {
  private readonly attached = new Map<string, Socket>();

  attach(order: AttachOrder, socket: Socket, find: (child: string) => Attachable): void {
    socket.on('error', () => undefined);
    let child: Attachable;
    try {
      child = find(order.child);
    } catch (error) {
      return refuse(order, socket, { code: (error as { code?: string }).code ?? 'not_found', message: (error as Error).message });
    }
    const refusal = whyNot(order.child, child, this.attached.has(order.child));
    if (refusal) return refuse(order, socket, refusal);
    const { pid, stdin, stdout } = child.stdio!;
    this.attached.set(order.child, socket);
    socket.write(replyLine(order.request, { result: { child: order.child, pid } }));

    const resume = () => stdout!.resume();
    const forward = (chunk: Buffer) => {
      socket.cork();
      socket.write(frameHeader(FRAME.data, STREAM.stdout, chunk.length));
      const roomLeft = socket.write(chunk);
      socket.uncork();
      if (!roomLeft) {
        stdout!.pause();
        socket.once('drain', resume);
      }
    };
    const detach = () => {
      if (this.attached.get(order.child) !== socket) return;
      this.attached.delete(order.child);
      stdout!.off('data', forward);
      stdout!.off('close', detach);
      socket.off('drain', resume);
      stdout!.resume(); // the log reads on at the child's pace
      socket.end();
    };
    stdout!.on('data', forward);
    stdout!.once('close', detach);
    socket.once('close', detach);
    pumpIn(socket, stdin, (frame) => frame.type === FRAME.eof && detach());
  }
}

function whyNot(name: string, child: Attachable, busy: boolean): Refusal | null {
  if (child.stdin !== 'pipe') return { code: 'not_supported', message: `child ${name} does not take an attacher: its stdin is not "pipe" (add it with child add … --stdin, or "stdin": "pipe" in its spec)` };
  if (!child.stdio?.stdin || !child.stdio.stdout) return { code: 'not_running', message: `child ${name} is not running: attach once it runs again` };
  if (busy) return { code: 'busy', message: `child ${name} already has an attacher; one at a time` };
  return null;
}

function refuse(order: AttachOrder, socket: Socket, refusal: Refusal): void {
  socket.end(replyLine(order.request, { error: refusal }));
}

/** A child of the supervisor, as an attacher sees it. */
export function attachable(supervisor: { attachable(name: string): { spec: { stdin?: 'ignore' | 'pipe' | undefined }; stdio: Attachable['stdio'] } }, name: string): Attachable {
  const { spec, stdio } = supervisor.attachable(name);
  return { stdin: spec.stdin, stdio };
}
