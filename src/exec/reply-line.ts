// The first (and only JSON) line on an exec or attach connection once the daemon has handed it
// over: the same envelope as every reply of the control socket, so a client reads it as one.

export function replyLine(request: unknown, body: { result: unknown } | { error: { code: string; message: string } }): string {
  return `${JSON.stringify({ id: request ?? null, ...body })}\n`;
}
