import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the exit code (or 128 + signal number). */
  exit: Promise<number>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr match of `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the first stdout match of `pattern`. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
}

/** Spawns `node dist/cli.js` with only the environment a test gives it (plus PATH). */
export function spawnCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  type Stream = keyof typeof text;
  const waiters: { stream: Stream; pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const onData = (stream: Stream) => (chunk: string) => {
    text[stream] += chunk;
    for (const waiter of [...waiters]) {
      const match = waiter.stream === stream ? text[stream].match(waiter.pattern) : null;
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.setEncoding('utf8').on('data', onData('stdout'));
  child.stderr?.setEncoding('utf8').on('data', onData('stderr'));
  const exit = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 128)));
  });
  const waitOn = (stream: Stream, pattern: RegExp): Promise<RegExpMatchArray> => {
    const match = text[stream].match(pattern);
    if (match) return Promise.resolve(match);
    return new Promise((resolve, reject) => {
      waiters.push({ stream, pattern, resolve });
      void exit.then(() => reject(new Error(`CLI exited before printing ${String(pattern)}; stderr:\n${text.stderr}`)));
    });
  };
  return {
    child,
    exit,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor: (pattern) => waitOn('stderr', pattern),
    waitForStdout: (pattern) => waitOn('stdout', pattern),
  };
}

export async function runCliToEnd(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = spawnCli(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export const URL_LINE = /Open this URL to sign in: (\S+)\n/;
