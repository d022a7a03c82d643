import { noChild, SessiondError } from '../contract/errors.js';
import type { SessionSpec } from '../contract/spec.js';
import { childLogFile, sessionLogDir } from '../contract/paths.js';
import { canResume, followLog, readTail, type LogPosition } from '../logs/log-files.js';
import { decodeRecords, plainText } from '../logs/log-records.js';
import type { RequestContext } from './dispatch.js';
import { MAX_UNREAD_BYTES } from './events-stream.js';
import type { LogsResult, LogsText, ParamsOf } from './protocol.js';
import { SessionEnd, type SessionEnds } from './session-end.js';

/**
 * `logs`: the last lines a child printed (default: the session's first child); with `follow`,
 * then what it prints next, as partials `{ text, offset, fileId }` (with `entries`: `{ entries,
 * offset, fileId }`, each piece with its capture time and stream), until the client goes. A
 * follower back after a daemon restart gives its last `offset` and `fileId` and goes on from
 * there (or, with `gap`, from the start of a log that was replaced meanwhile). A follower ends
 * once the session has ended and the rest of its log is out.
 */
export async function streamLogs(spec: SessionSpec, sessionsDir: string, params: ParamsOf<'logs'>, context: RequestContext, ends: SessionEnds): Promise<LogsResult> {
  const child = params.child ?? spec.children[0]?.name;
  if (child === undefined) throw noChild(spec.id, 'logs');
  if (!spec.children.some((c) => c.name === child)) {
    const names = spec.children.map((c) => c.name).join(', ');
    throw new SessiondError('not_found', `session ${spec.id} has no child named ${child}; its children are ${names}`);
  }
  const file = childLogFile(sessionLogDir(sessionsDir, spec.id), child);
  let result: LogsResult;
  if (params.offset === undefined) {
    const { lines, entries, position } = await readTail(file, params.lines);
    result = { id: spec.id, child, file, lines, ...(params.entries ? { entries } : {}), ...position };
  } else {
    const from: LogPosition = { fileId: params.fileId ?? null, offset: params.offset };
    const gap = !canResume(file, from);
    result = { id: spec.id, child, file, lines: [], ...(gap ? { fileId: null, offset: 0 } : from), gap };
  }
  if (!params.follow) return result;
  context.partial(result);
  // Subscribed before the log is followed: an end in between is not missed (its supervisor, the log's writer, is gone by then).
  const end = new SessionEnd(ends, spec.id);
  const stop = new AbortController();
  const abort = () => stop.abort();
  context.signal.addEventListener('abort', abort, { once: true });
  let cutOff = false;
  await followLog(
    file,
    (text, position) => {
      if (context.unread() > MAX_UNREAD_BYTES) {
        cutOff = true;
        return stop.abort();
      }
      // The file holds stamped records (log-records.ts): the client gets what the child printed.
      const entries = decodeRecords(text);
      context.partial((params.entries ? { entries, ...position } : { text: plainText(entries), ...position }) satisfies LogsText);
    },
    stop.signal,
    { fileId: result.fileId, offset: result.offset },
    end.reached,
  ).finally(() => end.close());
  context.signal.removeEventListener('abort', abort);
  if (cutOff) throw new SessiondError('slow_reader', `logs: this reader fell more than ${MAX_UNREAD_BYTES} bytes behind and was cut off`);
  return result;
}
