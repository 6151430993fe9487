import { createDeadline } from './deadline.js';
import { NanoGptNodeError } from './errors.js';
import { readJson, stringField } from './http.js';
import { issuerUrl, normalizeIssuer } from './issuer.js';

const DISCOVERY_PATH = '/.well-known/oauth-authorization-server';
/** A NanoGPT issuer answers discovery at once; this only bounds a server that accepts and never answers. */
const DISCOVERY_TIMEOUT_MS = 10_000;

export interface IssuerCheckOptions {
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function unavailable(issuer: string, why: string, cause?: unknown): NanoGptNodeError {
  return new NanoGptNodeError('issuer_unavailable', `Cannot sign in at ${issuer}: ${why}.`, cause === undefined ? {} : { cause });
}

/** The errno-style code of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`...), when undici names one. */
function failureCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Checks, before any browser or device sign-in starts, that `issuer` is reachable and answers
 * NanoGPT's discovery document (RFC 8414 metadata naming this issuer and NanoGPT's token format),
 * so that a typo or a stopped server fails at once with one line (`issuer_unavailable`) instead of
 * after the whole sign-in timeout. The same wording in every mode.
 */
export async function checkNanoGptIssuer(issuerOption: string | undefined, options: IssuerCheckOptions = {}): Promise<void> {
  const issuer = normalizeIssuer(issuerOption);
  const limits = { timeoutMs: options.timeoutMs ?? DISCOVERY_TIMEOUT_MS, signal: options.signal, what: `${issuer}${DISCOVERY_PATH}`, fetch: options.fetch };
  // Not withDeadline: its timeout error would replace the one-line wording below.
  const deadline = createDeadline(limits);
  try {
    let response: Response;
    try {
      response = await deadline.fetch(issuerUrl(issuer, DISCOVERY_PATH), { headers: { Accept: 'application/json' } });
    } catch (error) {
      const typed = deadline.fail(error);
      if (typed.code === 'aborted') throw typed;
      const code = failureCode(error);
      throw unavailable(issuer, typed.code === 'timeout' ? 'no answer to NanoGPT discovery' : `the server cannot be reached${code ? ` (${code})` : ''}`, error);
    }
    const body = await readJson(response).catch(() => null);
    if (!response.ok) throw unavailable(issuer, `it does not answer NanoGPT discovery (HTTP ${response.status} for ${DISCOVERY_PATH})`);
    const named = stringField(body, 'issuer');
    const isNanoGpt = stringField(body, 'x-nanogpt-token-format') !== undefined || stringField(body, 'x-nanogpt-oauth-shortcut-authorization_endpoint') !== undefined;
    if (!isNanoGpt || named === undefined || named.replace(/\/+$/, '') !== issuer) {
      throw unavailable(issuer, `it does not answer NanoGPT discovery (${DISCOVERY_PATH} is not NanoGPT's metadata for this issuer)`);
    }
  } finally {
    deadline.dispose();
  }
}
