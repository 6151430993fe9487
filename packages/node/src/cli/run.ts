import { NanoGptAuthError } from '@nanogpt-signin/core';
import { createRequire } from 'node:module';
import { NanoGptNodeError, toNodeError } from '../errors.js';
import { HELP, parseCommand, UsageError } from './args.js';
import { logout, status } from './account.js';
import { say, type CliIo } from './io.js';
import { login } from './login.js';
import type { ChildExit } from './child.js';
import { exec } from './exec.js';
import { mint } from './mint.js';
import { receive } from './receive.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** Bad usage, as the mock's CLI answers it too. */
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

// From dist/cli/ and src/cli/ alike, the package's own package.json is two folders up.
export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/**
 * Runs one `nanogpt-login` invocation and returns its exit code, or the signal that killed the
 * command `exec` / `mint --` ran (the caller re-raises it); never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ChildExit> {
  try {
    const command = parseCommand(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(HELP);
        return EXIT_OK;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return EXIT_OK;
      case 'login':
        return await login(command, io);
      case 'mint':
        return await mint(command, io);
      case 'receive':
        return await receive(command, io);
      case 'status':
        return await status(command, io);
      case 'exec':
        return await exec(command, io);
      case 'logout':
        return await logout(command, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      say(io, `nanogpt-login: ${error.message} See nanogpt-login --help. [${error.code}]`);
      return EXIT_USAGE;
    }
    if (io.signal.aborted || (error instanceof NanoGptNodeError && error.code === 'aborted')) {
      say(io, 'nanogpt-login: interrupted.');
      return EXIT_INTERRUPTED;
    }
    say(io, `nanogpt-login: ${oneLine(error)}`);
    return EXIT_FAILURE;
  }
}

function oneLine(error: unknown): string {
  if (error instanceof NanoGptNodeError || error instanceof NanoGptAuthError) {
    const typed = toNodeError(error);
    return `${typed.message.replace(/\s+/g, ' ').trim()} [${typed.code}]`;
  }
  // File-system and other local failures: their message names the path, never a secret.
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
}
