import type { UsageReport } from './api/usage-report.js';
import type {
  ApproveConsentOptions,
  Balance,
  ClockAnswer,
  ConsentDecision,
  ControlOk,
  CreateKeyOptions,
  CreatedKey,
  KeyList,
  KeyUsageOptions,
  PendingInfo,
} from './controls-api.js';
import type { Counters, StoreSizes } from './state.js';
import type { KeyInfo } from './store/keys.js';

/** Stable error codes thrown by `MockControls`. */
export type MockControlErrorCode =
  /** 400/413/415: the server rejected the request (a bad option). */
  | 'invalid_request'
  /** 404: unknown key, nothing pending, or the server runs with `controls: false`. */
  | 'not_found'
  /** Any other answer (5xx, not JSON). */
  | 'unexpected_response'
  /** The request did not reach the server (fetch rejected). */
  | 'network_error';

/** Raised by `MockControls` for a failed control; its message never contains a key. */
export class MockControlError extends Error {
  readonly code: MockControlErrorCode;
  /** HTTP status of the answer; 0 for `network_error`. */
  readonly status: number;
  /** The server's error code (e.g. `not_found`), when it sent one. */
  readonly error: string | undefined;
  constructor(code: MockControlErrorCode, message: string, status: number, error?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MockControlError';
    this.code = code;
    this.status = status;
    this.error = error;
  }
}

export interface MockControlsOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

// The server never echoes a key in an error, but a message may end up in CI logs: mask anything key-like.
const KEYISH = /sk-nano-[\w-]+|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const redact = (text: string): string => text.replace(KEYISH, '[key]').slice(0, 300);

function codeFor(status: number, error: string | undefined): MockControlErrorCode {
  if (status === 404) return 'not_found';
  if ((status === 400 || status === 413 || status === 415) && error === 'invalid_request') return 'invalid_request';
  return 'unexpected_response';
}

/**
 * A typed client of a mock server's `/__mock/*` test controls. Keys travel in JSON bodies, never in
 * URLs; a non-2xx answer throws `MockControlError`.
 *
 * ```ts
 * const controls = new MockControls(server.url);
 * const { key } = await controls.createKey({ restrictions: { limit: 5 } });
 * ```
 */
export class MockControls {
  readonly url: string;
  readonly #fetch: typeof fetch;

  constructor(url: string, options: MockControlsOptions = {}) {
    this.url = url;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async #call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const what = `${method} ${path}`;
    let response: Response;
    try {
      response = await this.#fetch(new URL(path, this.url), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MockControlError('network_error', `mock control ${what} failed: ${redact(reason)}`, 0, undefined, { cause: error });
    }
    const text = await response.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      answer = undefined;
    }
    if (response.ok && answer !== undefined) return answer as T;
    const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
    const error = typeof fields.error === 'string' ? fields.error : undefined;
    const description = typeof fields.error_description === 'string' ? `: ${fields.error_description}` : '';
    const code = response.ok ? 'unexpected_response' : codeFor(response.status, error);
    throw new MockControlError(code, redact(`mock control ${what} answered ${response.status} ${error ?? 'non-JSON'}${description}`), response.status, error);
  }

  async #ok(path: string, body: object): Promise<void> {
    await this.#call<ControlOk>('POST', path, body);
  }

  /** `POST /__mock/keys`: a dashboard key of the test account (or one "made by OAuth"). */
  createKey(options: CreateKeyOptions = {}): Promise<CreatedKey> {
    return this.#call('POST', '/__mock/keys', options);
  }

  /** `POST /__mock/keys/revoke`. */
  revokeKey(key: string): Promise<void> {
    return this.#ok('/__mock/keys/revoke', { key });
  }

  /** `POST /__mock/keys/origins`: `[]` = any origin. */
  setKeyOrigins(key: string, origins: readonly string[]): Promise<void> {
    return this.#ok('/__mock/keys/origins', { key, origins });
  }

  /** `POST /__mock/keys/inspect`: the key's public view (masked, never the key). */
  inspectKey(key: string): Promise<KeyInfo> {
    return this.#call('POST', '/__mock/keys/inspect', { key });
  }

  /** `GET /__mock/keys`: every key of the test account, masked. */
  async listKeys(): Promise<KeyInfo[]> {
    return (await this.#call<KeyList>('GET', '/__mock/keys')).keys;
  }

  /** `POST /__mock/rate-limit`: API requests per second per key; `null` = off, `0` = every API call 429. */
  setRateLimit(perSecond: number | null): Promise<void> {
    return this.#ok('/__mock/rate-limit', { perSecond });
  }

  /** `POST /__mock/keys/usage`: what `GET /api/v1/usage` would answer this key (default the last 30 UTC days). */
  keyUsage(key: string, options: KeyUsageOptions = {}): Promise<UsageReport> {
    return this.#call('POST', '/__mock/keys/usage', { ...options, key });
  }

  /** `GET /__mock/balance`: the test account's balance. */
  async balance(): Promise<number> {
    return (await this.#call<Balance>('GET', '/__mock/balance')).balanceUsd;
  }

  /** `POST /__mock/balance`: set the test account's balance in USD (`0`: priced models answer 402). */
  async setBalance(balanceUsd: number): Promise<void> {
    await this.#call<Balance>('POST', '/__mock/balance', { balanceUsd });
  }

  /** `POST /__mock/models/catalogue-only`: `true` = chat accepts only catalogue models (others 404 `model_not_found`). */
  setCatalogueOnly(catalogueOnly: boolean): Promise<void> {
    return this.#ok('/__mock/models/catalogue-only', { catalogueOnly });
  }

  /** `POST /__mock/clock`: moves the mock's clock forward (and sweeps expired state). */
  advanceClock(seconds: number): Promise<ClockAnswer> {
    return this.#call('POST', '/__mock/clock', { advanceSeconds: seconds });
  }

  /** `GET /__mock/pending`: consents awaiting a decision and held device logins. */
  pending(): Promise<PendingInfo> {
    return this.#call('GET', '/__mock/pending');
  }

  /** `POST /__mock/consents/approve`: the newest pending consent unless `id` is given. */
  approveConsent(options: ApproveConsentOptions = {}): Promise<ConsentDecision> {
    return this.#call('POST', '/__mock/consents/approve', options);
  }

  /** `POST /__mock/consents/deny`: the newest pending consent unless `id` is given. */
  denyConsent(options: { id?: string } = {}): Promise<ConsentDecision> {
    return this.#call('POST', '/__mock/consents/deny', options);
  }

  /** `POST /__mock/device/approve`: the newest pending device login unless `userCode` is given. */
  approveDevice(userCode?: string): Promise<void> {
    return this.#ok('/__mock/device/approve', { userCode });
  }

  /** `POST /__mock/device/deny`: the newest pending device login unless `userCode` is given. */
  denyDevice(userCode?: string): Promise<void> {
    return this.#ok('/__mock/device/deny', { userCode });
  }

  /** `GET /__mock/counters`. */
  counters(): Promise<Counters> {
    return this.#call('GET', '/__mock/counters');
  }

  /** `GET /__mock/stats`: how many entries each store holds. */
  stats(): Promise<StoreSizes> {
    return this.#call('GET', '/__mock/stats');
  }

  /** `POST /__mock/reset`: keys, clients, codes, consents, device logins, usage, counters, balance, rate limit, catalogue-only, clock. */
  reset(): Promise<void> {
    return this.#ok('/__mock/reset', {});
  }
}
