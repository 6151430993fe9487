import { normalizeIssuer } from '../issuer.js';
import { printable } from '../terminal-text.js';

/** What the CLI commands touch, so they can be driven in-process. */
export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Fires on Ctrl-C (SIGINT) / SIGTERM. */
  signal: AbortSignal;
}

/** One line on stderr. Messages carry server-provided text (errors, scopes, codes): control characters never reach the terminal. */
export function say(io: CliIo, text: string): void {
  io.stderr.write(`${printable(text)}\n`);
}

/** The issuer a command talks to: `--issuer`, else `$NANOGPT_ISSUER`, else NanoGPT's. */
export function commandIssuer(flag: string | undefined, io: CliIo): string {
  return normalizeIssuer(flag ?? (io.env.NANOGPT_ISSUER || undefined));
}
