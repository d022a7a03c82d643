import { SessiondError } from '../contract/errors.js';
import type { SessionSpec } from '../contract/spec.js';
import { childLogFile, sessionLogDir } from '../contract/paths.js';
import { followLog, readLastLines } from '../logs/log-files.js';
import type { RequestContext } from './dispatch.js';
import { MAX_UNREAD_BYTES } from './events-stream.js';
import type { LogsResult, ParamsOf } from './protocol.js';

/**
 * `logs`: the last lines a child printed (default: the session's first child); with `follow`,
 * then what it prints next, as partials `{ text }`, until the client goes.
 */
export async function streamLogs(spec: SessionSpec, sessionsDir: string, params: ParamsOf<'logs'>, context: RequestContext): Promise<LogsResult> {
  const child = params.child ?? spec.children[0]!.name;
  if (!spec.children.some((c) => c.name === child)) {
    const names = spec.children.map((c) => c.name).join(', ');
    throw new SessiondError('not_found', `session ${spec.id} has no child named ${child}; its children are ${names}`);
  }
  const file = childLogFile(sessionLogDir(sessionsDir, spec.id), child);
  const result = { id: spec.id, child, file, lines: await readLastLines(file, params.lines) };
  if (!params.follow) return result;
  context.partial(result);
  const stop = new AbortController();
  const abort = () => stop.abort();
  context.signal.addEventListener('abort', abort, { once: true });
  let cutOff = false;
  await followLog(
    file,
    (text) => {
      if (context.unread() > MAX_UNREAD_BYTES) {
        cutOff = true;
        return stop.abort();
      }
      context.partial({ text });
    },
    stop.signal,
  );
  context.signal.removeEventListener('abort', abort);
  if (cutOff) throw new SessiondError('slow_reader', `logs: this reader fell more than ${MAX_UNREAD_BYTES} bytes behind and was cut off`);
  return result;
}
