import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { NanoGptNodeError } from '../errors.js';
import { say, type CliIo } from './io.js';

/** How a child command ended: its exit code, or the signal that killed it (to be re-raised). */
export type ChildExit = number | { signal: NodeJS.Signals };

/** Exit codes of a shell for a command that cannot run. */
const EXIT_NOT_FOUND = 127;
const EXIT_NOT_EXECUTABLE = 126;

/**
 * The child's environment: ours, plus the key and the issuer's origin as `NANOGPT_BASE_URL` (what
 * NanoGPT's own tools, e.g. its MCP server, read; default there `https://nano-gpt.com`), minus the
 * source key a mint used (an agent given a capped key must not also inherit the uncapped one).
 */
export function childEnvironment(env: NodeJS.ProcessEnv, key: string, issuer: string): NodeJS.ProcessEnv {
  const childEnv: NodeJS.ProcessEnv = { ...env, NANOGPT_API_KEY: key, NANOGPT_BASE_URL: issuer };
  delete childEnv.NANOGPT_SOURCE_KEY;
  return childEnv;
}

/** 128 + the signal's number, as shells report a death by signal. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * Runs `command` (no shell: the words are passed as they are) with the key only in its
 * environment — never in its argv, a file or our output — and the terminal's stdin, stdout and
 * stderr. SIGTERM and SIGHUP sent to us are passed on; Ctrl-C reaches the child from the terminal
 * itself (same process group), so we only outlive it. Resolves with how the child ended.
 */
export function runChild(command: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<ChildExit> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new NanoGptNodeError('command_failed', 'No command to run.'));
  return new Promise<ChildExit>((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: 'inherit' });
    const restore = io.redirectSignals((signal) => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
    // The command never started: one line like every other failure, and a shell's exit code.
    child.once('error', (error: NodeJS.ErrnoException) => {
      restore();
      if (error.code === 'ENOENT') resolveFailure(`Command not found: ${file}.`, EXIT_NOT_FOUND);
      else if (error.code === 'EACCES') resolveFailure(`Command not executable: ${file}.`, EXIT_NOT_EXECUTABLE);
      else reject(new NanoGptNodeError('command_failed', `Could not run ${file}: ${error.message}`, { cause: error }));
    });
    const resolveFailure = (message: string, code: number): void => {
      say(io, `nanogpt-login: ${message} [command_failed]`);
      resolve(code);
    };
    child.once('exit', (code, signal) => {
      restore();
      resolve(signal ? { signal } : (code ?? 1));
    });
  });
}
