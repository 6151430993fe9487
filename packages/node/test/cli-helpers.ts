import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliRun {
  child: ChildProcess;
  /** Resolves with the exit code (or 128 + signal number). */
  exit: Promise<number>;
  /** Resolves with the signal that killed the process (null when it exited). */
  killedBy: Promise<NodeJS.Signals | null>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stderr match of `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the first stdout match of `pattern`. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
}

export interface SpawnOptions {
  /** Written to the CLI's stdin, which is then closed (default: no stdin at all). */
  input?: string;
  /** The program and leading arguments that start the CLI (default: `node dist/cli.js`). */
  start?: string[];
  /** The working directory (default: the test's). */
  cwd?: string;
}

/** Spawns `node dist/cli.js` with only the environment a test gives it (plus PATH). */
export function spawnCli(args: string[], env: Record<string, string>, options: SpawnOptions = {}): CliRun {
  // `node --`, as the installed bin starts it: Node itself must not read our --env-file.
  const [program = process.execPath, ...leading] = options.start ?? [process.execPath, '--', CLI];
  const child = spawn(program, [...leading, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    cwd: options.cwd,
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
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
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const exit = closed.then(({ code, signal }) => code ?? (signal === 'SIGINT' ? 130 : 128));
  const killedBy = closed.then(({ signal }) => signal);
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
    killedBy,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    waitFor: (pattern) => waitOn('stderr', pattern),
    waitForStdout: (pattern) => waitOn('stdout', pattern),
  };
}

export async function runCliToEnd(args: string[], env: Record<string, string>, options: SpawnOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = spawnCli(args, env, options);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export const URL_LINE = /Open this URL to sign in: (\S+)\n/;
