import { isNanoGptKey, parseRetryAfter, type SignInResult } from '@nanogpt-signin/core';
import { sleepWithin, withDeadline, type Deadline, type Sleep } from './deadline.js';
import { DEFAULT_CLIENT_NAME, SIGN_IN_URL_PREFIX } from './defaults.js';
import { NanoGptNodeError } from './errors.js';
import { errorText, numberField, postJson, stringField } from './http.js';
import { issuerUrl, normalizeIssuer } from './issuer.js';
import { printable } from './terminal-text.js';

/** What the user needs to approve a device login. Contains no secret (never the device code). */
export interface DeviceCodeInfo {
  /** Like `VS8Q-ZY3Q`: the user compares it with the one the browser shows. */
  userCode: string;
  /** Absolute URL of the verification page. */
  verificationUri: string;
  /** Absolute URL of the verification page with the user code filled in. */
  verificationUriComplete: string;
  /** Seconds until the login expires. */
  expiresIn: number;
}

export interface DeviceSignInOptions {
  /** NanoGPT origin; default `https://nano-gpt.com`. */
  issuer?: string;
  /** Names the key `CLI (<clientName>)`; at most 64 characters. */
  clientName?: string;
  /** Default: the server's `expires_in` (10 minutes on NanoGPT). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called once with the URL and the user code to show. Default: prints them on stderr. */
  onCode?: (info: DeviceCodeInfo) => void;
  /** Called after every poll that is still pending (for progress display). */
  onPending?: (info: { nextPollInSeconds: number }) => void;
  /**
   * How to wait between polls: `(ms, signal) => Promise<void>`, default a timer. `signal` fires
   * when the wait is pointless (timeout, abort); the wait is cut short then in any case. Tests
   * pass a sleep they control.
   */
  sleep?: Sleep;
  fetch?: typeof fetch;
}

/** The core's SignInResult, except that the server may not report the scopes (device login keys are account keys). */
export interface DeviceSignInResult extends Omit<SignInResult, 'scope'> {
  /** The granted scopes when the server reports them, else null. */
  scope: string | null;
}

interface StartedLogin {
  deviceCode: string;
  info: DeviceCodeInfo;
  intervalSeconds: number;
}

const MIN_INTERVAL_SECONDS = 1;
const DEFAULT_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
const MAX_TRANSIENT_FAILURES = 3;

/**
 * A verification URL from the server, resolved against the issuer, if it is on the issuer's own
 * origin (https, or loopback http for a mock): it is printed and opened in the browser, so a
 * hostile or broken server must not point the user at a file:// path or another site.
 */
function verificationUrl(issuer: string, pathOrUrl: string): URL {
  let url: URL | undefined;
  try {
    url = issuerUrl(issuer, pathOrUrl);
  } catch {
    // Not a URL at all: refused below like any other.
  }
  if (url?.origin !== issuer) {
    throw new NanoGptNodeError('untrusted_verification_uri', `The server's device login page is not on ${issuer}; refusing to show or open it.`);
  }
  return url;
}

async function startLogin(issuer: string, clientName: string, doFetch: typeof fetch): Promise<StartedLogin> {
  const { response, body } = await postJson(doFetch, issuerUrl(issuer, '/api/cli-login/start'), { client_name: clientName });
  if (response.status === 429) {
    const retryAfter = parseRetryAfter(response);
    throw new NanoGptNodeError('rate_limited', 'Too many device logins started; wait a minute and try again.', { status: 429, retryAfter });
  }
  if (!response.ok) {
    const code = response.status >= 500 ? 'server_error' : 'invalid_request';
    const detail = errorText(body);
    throw new NanoGptNodeError(code, `Could not start the device login (HTTP ${response.status}${detail ? `: ${detail}` : ''}).`, {
      status: response.status,
    });
  }
  const deviceCode = stringField(body, 'device_code');
  const userCode = stringField(body, 'user_code');
  const verificationUri = stringField(body, 'verification_uri');
  if (!deviceCode || !userCode || !verificationUri) {
    throw new NanoGptNodeError('unexpected_response', 'The device login answer is missing fields.');
  }
  const complete = stringField(body, 'verification_uri_complete');
  const completeUrl = complete ? verificationUrl(issuer, complete) : verificationUrl(issuer, verificationUri);
  if (!complete) completeUrl.searchParams.set('code', userCode);
  return {
    deviceCode,
    intervalSeconds: Math.max(MIN_INTERVAL_SECONDS, numberField(body, 'interval') ?? DEFAULT_INTERVAL_SECONDS),
    info: {
      userCode,
      verificationUri: verificationUrl(issuer, verificationUri).href,
      verificationUriComplete: completeUrl.href,
      expiresIn: numberField(body, 'expires_in') ?? 600,
    },
  };
}

type PollOutcome =
  | { kind: 'approved'; result: DeviceSignInResult }
  | { kind: 'pending' }
  | { kind: 'slow_down'; retryAfter: number | undefined }
  | { kind: 'transient'; error: NanoGptNodeError };

/** A server-chosen status word, safe to print: a short identifier or nothing. */
function statusWord(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z0-9_.-]{1,40}$/.test(value) ? value : undefined;
}

/**
 * Interprets one answer of `/api/cli-login/poll` by its status code, as existing NanoGPT clients
 * do (200 approved, 202 pending, 404 unknown, 409 consumed, 410 expired, 429 slow down); only
 * `key_revoked`, whose status code is unpublished, is recognised by its body. Terminal refusals
 * throw; any other terminal answer is a failed login that says what the server answered.
 */
export function interpretPoll(status: number, body: unknown, retryAfter: number | undefined): PollOutcome {
  const state = stringField(body, 'status');
  const error = stringField(body, 'error');
  if (state === 'key_revoked' || error === 'key_revoked') {
    throw new NanoGptNodeError('device_key_revoked', 'The approved key was revoked before this login fetched it; run the login again.', { status });
  }
  if (status === 200) {
    const key = stringField(body, 'key');
    // The key is printed (--print, for eval) and stored: anything but a NanoGPT key is refused.
    if (!isNanoGptKey(key)) throw new NanoGptNodeError('invalid_token_response', 'The approved device login carried no valid NanoGPT key; nothing was stored or printed.');
    return { kind: 'approved', result: { key, scope: stringField(body, 'scope') ?? null } };
  }
  if (status === 202) return { kind: 'pending' };
  if (status === 429) return { kind: 'slow_down', retryAfter };
  if (status === 410) {
    throw new NanoGptNodeError('device_code_expired', 'The device login expired before it was approved; run the login again.', { status });
  }
  if (status === 409) {
    throw new NanoGptNodeError('device_code_consumed', 'This device login already delivered its key; run the login again.', { status });
  }
  if (status === 404) {
    throw new NanoGptNodeError('device_code_invalid', 'The server does not know this device login (it may have been cleared); run the login again.', { status });
  }
  if (status === 403 && (state === 'denied' || error === 'access_denied')) {
    throw new NanoGptNodeError('access_denied', 'The device login was denied in the browser.', { status });
  }
  if (status >= 500) {
    return { kind: 'transient', error: new NanoGptNodeError('server_error', `The server failed while polling (HTTP ${status}).`, { status }) };
  }
  const word = statusWord(state) ?? statusWord(error);
  throw new NanoGptNodeError(
    'device_login_failed',
    `The device login ended with ${word ? `status "${word}"` : 'an unknown answer'} (HTTP ${status}); run the login again.`,
    { status },
  );
}

async function pollUntilDone(issuer: string, login: StartedLogin, deadline: Deadline, options: DeviceSignInOptions): Promise<DeviceSignInResult> {
  const pollUrl = issuerUrl(issuer, '/api/cli-login/poll');
  let interval = login.intervalSeconds;
  let waitSeconds = interval;
  let transientFailures = 0;
  for (;;) {
    await sleepWithin(waitSeconds * 1000, deadline, options.sleep);
    let outcome: PollOutcome;
    try {
      const { response, body } = await postJson(deadline.fetch, pollUrl, { device_code: login.deviceCode });
      outcome = interpretPoll(response.status, body, parseRetryAfter(response));
    } catch (error) {
      const typed = deadline.fail(error);
      if (typed.code !== 'network_error') throw typed;
      outcome = { kind: 'transient', error: typed };
    }
    switch (outcome.kind) {
      case 'approved':
        return outcome.result;
      case 'pending':
        transientFailures = 0;
        waitSeconds = interval;
        break;
      case 'slow_down':
        transientFailures = 0;
        interval += SLOW_DOWN_STEP_SECONDS;
        waitSeconds = Math.max(interval, outcome.retryAfter ?? 0);
        break;
      case 'transient':
        transientFailures += 1;
        if (transientFailures >= MAX_TRANSIENT_FAILURES) throw outcome.error;
        waitSeconds = interval * 2 ** transientFailures;
        break;
    }
    options.onPending?.({ nextPollInSeconds: waitSeconds });
  }
}

function printCode(info: DeviceCodeInfo): void {
  process.stderr.write(`${SIGN_IN_URL_PREFIX}${info.verificationUriComplete}\nand check that it shows the code ${printable(info.userCode)}\n`);
}

/**
 * NanoGPT's CLI device login (`/api/cli-login/start` + `/poll`): shows the verification URL and
 * user code through `onCode`, then polls until the user approves in any browser. The device code
 * never leaves this function.
 */
export async function signInWithDevice(options: DeviceSignInOptions = {}): Promise<DeviceSignInResult> {
  const issuer = normalizeIssuer(options.issuer);
  const clientName = (options.clientName ?? DEFAULT_CLIENT_NAME).slice(0, 64);
  const limits = { signal: options.signal, what: 'the device login', fetch: options.fetch };
  // Until the server tells us how long the login lives, only the caller's timeout and signal apply.
  return withDeadline({ ...limits, timeoutMs: options.timeoutMs }, async (starting) => {
    const login = await startLogin(issuer, clientName, starting.fetch);
    (options.onCode ?? printCode)(login.info);
    if (options.timeoutMs !== undefined) return pollUntilDone(issuer, login, starting, options);
    return withDeadline({ ...limits, timeoutMs: login.info.expiresIn * 1000 }, (polling) => pollUntilDone(issuer, login, polling, options));
  });
}
