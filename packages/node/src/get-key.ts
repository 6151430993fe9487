import { tryOpenBrowser, noBrowserReason, type OpenBrowser } from './browser.js';
import { deleteCredentials, loadCredentials, saveCredentials, type CredentialFlow, type CredentialStoreOptions } from './credentials.js';
import type { Sleep } from './deadline.js';
import { signInWithDevice, type DeviceSignInResult } from './device.js';
import { SIGN_IN_URL_PREFIX } from './defaults.js';
import { NanoGptNodeError } from './errors.js';
import { normalizeIssuer } from './issuer.js';
import { checkNanoGptIssuer } from './issuer-check.js';
import { checkKey } from './key-check.js';
import { signInWithLoopback } from './loopback.js';
import { printable } from './terminal-text.js';

export type SignInTransport = 'loopback' | 'device';

/** What the user must do to sign in. No secret in it: never the device code. */
export type SignInPrompt =
  | { transport: 'loopback'; url: string; browserOpened: boolean }
  | { transport: 'device'; url: string; userCode: string; expiresIn: number };

export interface GetKeyOptions {
  /** Shown on the consent screen and in the key's name (`CLI (<clientName>)` for device login). */
  clientName: string;
  /** Browser sign-in only; default `api.use models.read`. Device login takes no scope. */
  scope?: string;
  /** NanoGPT origin; default `https://nano-gpt.com`. */
  issuer?: string;
  /** Credentials are kept per issuer and per profile name; default `default`. */
  profile?: string;
  /** `false`: no credentials file is read or written; every call signs in. Default true. */
  store?: boolean;
  /** Force a transport; default: chosen from the environment (see `chooseTransport`). */
  transport?: SignInTransport;
  signal?: AbortSignal;
  /** Limit of the sign-in (default: 5 minutes for the browser, the server's expiry for device login). */
  timeoutMs?: number;
  /** Told what the user must do (URL, user code). Default: printed on stderr. */
  onPrompt?: (prompt: SignInPrompt) => void;
  /** How to open the browser (default the `open` package); `false` never opens one (the URL is prompted). */
  openBrowser?: OpenBrowser | false;
  /** The environment the transport is chosen from and credentials are found in; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The credentials folder; default from the environment (see `configDir`). */
  configDir?: string;
  fetch?: typeof fetch;
  /** The device login's wait between polls (tests). */
  sleep?: Sleep;
}

/**
 * Device login when a browser here is useless: a remote session (`SSH_CONNECTION` / `SSH_TTY`:
 * the browser would open on the far machine, or not at all), no display on Linux, or CI.
 * Otherwise the browser sign-in.
 */
export function chooseTransport(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { transport: SignInTransport; reason: string } {
  if (env.SSH_CONNECTION || env.SSH_TTY) return { transport: 'device', reason: 'remote (SSH) session' };
  const noBrowser = noBrowserReason(env, platform);
  if (noBrowser) return { transport: 'device', reason: noBrowser };
  return { transport: 'loopback', reason: 'a browser can be opened here' };
}

/** The default `onPrompt`: one or two lines on stderr, with the server's text made printable. */
function printPrompt(prompt: SignInPrompt): void {
  const url = printable(prompt.url);
  if (prompt.transport === 'device') {
    process.stderr.write(`${SIGN_IN_URL_PREFIX}${url}\nand check that it shows the code ${printable(prompt.userCode)}\n`);
  } else {
    process.stderr.write(`${prompt.browserOpened ? 'Opened your browser to sign in; if it did not show up, open: ' : SIGN_IN_URL_PREFIX}${url}\n`);
  }
}

interface SignedIn extends DeviceSignInResult {
  flow: CredentialFlow;
}

function signInByDevice(options: GetKeyOptions, issuer: string, prompt: (prompt: SignInPrompt) => void): Promise<SignedIn> {
  return signInWithDevice({
    issuer,
    clientName: options.clientName,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    fetch: options.fetch,
    sleep: options.sleep,
    onCode: (info) => prompt({ transport: 'device', url: info.verificationUriComplete, userCode: info.userCode, expiresIn: info.expiresIn }),
  }).then((result) => ({ ...result, flow: 'device' }));
}

/**
 * The browser sign-in; when the browser cannot be launched (and the caller did not insist on it),
 * it is given up for device login before the user was shown a URL they could not use.
 */
async function signInByBrowser(options: GetKeyOptions, issuer: string, prompt: (prompt: SignInPrompt) => void): Promise<SignedIn> {
  const insist = options.transport === 'loopback' || options.openBrowser === false;
  const giveUp = new AbortController();
  let signInUrl = '';
  try {
    const result = await signInWithLoopback({
      issuer,
      scope: options.scope,
      clientName: options.clientName,
      timeoutMs: options.timeoutMs,
      signal: options.signal ? AbortSignal.any([options.signal, giveUp.signal]) : giveUp.signal,
      fetch: options.fetch,
      // The browser is opened here, not by signInWithLoopback, so the prompt follows the outcome.
      openBrowser: false,
      onUrl(url) {
        signInUrl = url;
        void tryOpenBrowser(url, options.openBrowser).then((outcome) => {
          if (outcome.opened || insist) prompt({ transport: 'loopback', url: signInUrl, browserOpened: outcome.opened });
          else giveUp.abort();
        });
      },
    });
    return { ...result, flow: 'loopback' };
  } catch (error) {
    if (giveUp.signal.aborted && !options.signal?.aborted) return signInByDevice(options, issuer, prompt);
    throw error;
  }
}

/**
 * A NanoGPT key that works, in one call: the stored key of this issuer and profile when
 * `GET /api/v1/usage` accepts it (no prompt), else a sign-in (browser or device login, chosen from
 * the environment) whose key is stored (mode 0600) for next time. A stored key answered with 401
 * is dropped; any other failure of the check rejects (`network_error`, `server_error`...) rather
 * than signing in again over a key that may be fine. What the user must do goes to `onPrompt`
 * (default stderr), never to stdout.
 */
export async function getKey(options: GetKeyOptions): Promise<string> {
  const issuer = normalizeIssuer(options.issuer);
  const store: CredentialStoreOptions = { issuer, profile: options.profile, env: options.env, configDir: options.configDir };
  const useStore = options.store ?? true;
  if (useStore) {
    const stored = await loadCredentials(store);
    if (stored) {
      const check = await checkKey({ key: stored.key, issuer, signal: options.signal, fetch: options.fetch });
      // 429 is throughput or a spend cap: the key exists and is not revoked.
      if (check.ok || check.code === 'rate_limited') return stored.key;
      if (check.code !== 'invalid_api_key') throw new NanoGptNodeError(check.code, `Could not check the stored key: ${check.message}`, { status: check.status });
      await deleteCredentials(store);
    }
  }

  const prompt = options.onPrompt ?? printPrompt;
  await checkNanoGptIssuer(issuer, { signal: options.signal, fetch: options.fetch });
  const transport = options.transport ?? chooseTransport(options.env ?? process.env).transport;
  const result = transport === 'device' ? await signInByDevice(options, issuer, prompt) : await signInByBrowser(options, issuer, prompt);
  if (useStore) {
    await saveCredentials({ key: result.key, scope: result.scope, issuer, createdAt: new Date().toISOString(), flow: result.flow }, store);
  }
  return result.key;
}
