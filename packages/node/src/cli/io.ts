import { SIGN_IN_URL_PREFIX } from '../defaults.js';
import { normalizeIssuer } from '../issuer.js';
import { printable } from '../terminal-text.js';

/** What the CLI commands touch, so they can be driven in-process. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Fires on Ctrl-C (SIGINT) / SIGTERM. */
  signal: AbortSignal;
  /**
   * While a child command runs: signals this process receives go to `handler` instead of
   * cancelling (`signal`). Returns the function that restores cancelling.
   */
  redirectSignals(handler: (signal: NodeJS.Signals) => void): () => void;
}

/** One line on stderr. Messages carry server-provided text (errors, scopes, codes): control characters never reach the terminal. */
export function say(io: CliIo, text: string): void {
  io.stderr.write(`${printable(text)}\n`);
}

/** What the user needs for a device login (never the device code). */
export function showDeviceCode(io: CliIo, url: string, userCode: string): void {
  say(io, `${SIGN_IN_URL_PREFIX}${url}`);
  say(io, `Check that the page shows the code: ${userCode}`);
}

/** The issuer a command talks to: `--issuer`, else `$NANOGPT_ISSUER`, else NanoGPT's. */
export function commandIssuer(flag: string | undefined, io: CliIo): string {
  return normalizeIssuer(flag ?? (io.env.NANOGPT_ISSUER || undefined));
}

/** The issuer a command names, if it names one: `--issuer`, else `$NANOGPT_ISSUER`. */
export function namedIssuer(flag: string | undefined, io: CliIo): string | undefined {
  const named = flag ?? (io.env.NANOGPT_ISSUER || undefined);
  return named === undefined ? undefined : normalizeIssuer(named);
}
