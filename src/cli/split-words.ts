import { SessiondError } from '../contract/errors.js';

/**
 * Splits a command line into words as a POSIX shell does, without expanding anything: blanks
 * separate words; '…' keeps everything literally; "…" keeps everything but lets a backslash
 * escape $ ` " \ and newline; outside quotes a backslash keeps the next character. No
 * variables, globs or operators: the words run without a shell.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw unterminated(line, 'single');
      word += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      i++;
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\' && i + 1 < line.length && '$`"\\\n'.includes(line[i + 1]!)) i++;
        word += line[i];
      }
      if (i >= line.length) throw unterminated(line, 'double');
    } else if (c === '\\') {
      if (line[i + 1] === '\n') i++; // a line continuation: nothing
      else if (i + 1 < line.length) word += line[++i];
    } else {
      word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function unterminated(line: string, kind: string): SessiondError {
  return new SessiondError('invalid_params', `unterminated ${kind} quote in command line ${JSON.stringify(line)}`);
}
