import { execa, type ResultPromise } from 'execa';
import { SESSIONCTL } from './harness.js';

export interface Follower {
  readonly subprocess: ResultPromise;
  stdout(): string;
  stderr(): string;
  /** The stdout's complete lines, each parsed as JSON. */
  lines<T>(): T[];
}

/** Long-running `sessionctl …` processes (`--follow`), their output collected as it comes; `stopAll` SIGKILLs what is left. */
export class Followers {
  private readonly running: ResultPromise[] = [];

  start(home: string, args: readonly string[], env: Record<string, string> = {}): Follower {
    const subprocess = execa(process.execPath, [SESSIONCTL, '--home', home, ...args], { reject: false, buffer: false, stdin: 'ignore', env });
    this.running.push(subprocess);
    let stdout = '';
    let stderr = '';
    subprocess.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    subprocess.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const complete = () => stdout.slice(0, stdout.lastIndexOf('\n') + 1);
    return { subprocess, stdout: () => stdout, stderr: () => stderr, lines: <T>() => complete().split('\n').filter(Boolean).map((line) => JSON.parse(line) as T) };
  }

  async stopAll(): Promise<void> {
    for (const subprocess of this.running.splice(0)) {
      subprocess.kill('SIGKILL');
      await subprocess.catch(() => undefined);
    }
  }
}
