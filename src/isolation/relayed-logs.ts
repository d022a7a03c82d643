import type { Readable } from 'node:stream';
import { CHILD_NAME_PATTERN } from '../contract/ids.js';
import { childLogFile } from '../contract/paths.js';
import { LogFile, type LogRotation } from '../logs/log-file.js';

/** The longest relayed line the daemon keeps (a record is one line of a child's output): past it, the line is cut. */
const MAX_LINE = 1024 * 1024;

/** The daemon's end: writes each relayed record to its child's log file in `dir`, as the supervisor of a plain session would. */
export function writeRelayed(pipe: Readable, dir: string, rotation: LogRotation, warn: (message: string) => void): void {
  const files = new Map<string, LogFile>();
  let partial = '';
  const record = (line: string) => {
    const space = line.indexOf(' ');
    const name = line.slice(0, space);
    // The supervisor is the session's: what it says names a file, so it is checked like user input.
    if (space <= 0 || !CHILD_NAME_PATTERN.test(name)) return warn(`ignored a relayed log line for a child named ${JSON.stringify(name.slice(0, 64))}`);
    let file = files.get(name);
    if (!file) {
      file = new LogFile(childLogFile(dir, name), rotation);
      files.set(name, file);
    }
    file.write(`${line.slice(space + 1)}\n`);
  };
  pipe.setEncoding('utf8');
  pipe.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    if (partial.length > MAX_LINE) partial = partial.slice(0, MAX_LINE);
    for (const line of lines) record(line);
  });
  const close = () => {
    for (const file of files.values()) file.close();
    files.clear();
  };
  pipe.on('end', close);
  pipe.on('close', close);
  pipe.on('error', () => undefined);
}
