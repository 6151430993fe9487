import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNanoGptKey } from '@nanogpt-signin/core';
import { openAiErrorBody, usesOpenAiEnvelope } from './api/envelope.js';
import { createClock, type Clock } from './clock.js';
import { MockControls } from './controls-client.js';
import { MockServerError } from './errors.js';
import { isControlPath, refuseForeignControlRequest } from './guard/controls.js';
import { limitOAuthEndpoint } from './guard/rate-limits.js';
import { answerPreflight, applyCors, isCorsPath } from './http/cors.js';
import { HttpError } from './http/errors.js';
import { NO_STORE, sendJson, sendPageHead } from './http/respond.js';
import { Router, splitUrl } from './http/router.js';
import { CONSENT_TTL_MS } from './oauth/consent.js';
import { DEVICE_TTL_SECONDS } from './oauth/device.js';
import { registerAgentDocuments } from './routes/agent.js';
import { registerApi } from './routes/api.js';
import { registerAuthorize } from './routes/authorize.js';
import { registerConsent } from './routes/consent.js';
import { registerControls } from './routes/controls.js';
import { registerDevice } from './routes/device.js';
import { registerDiscovery } from './routes/discovery.js';
import { registerDownstream } from './routes/downstream.js';
import { registerRegistration } from './routes/register.js';
import { registerToken } from './routes/token.js';
import { registerUsage } from './routes/usage.js';
import { MockState, type StoreCaps } from './state.js';

export interface MockServerOptions {
  /** Port to listen on; 0 (the default) picks any free port. */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Lifetime of authorization codes in seconds; default 60. */
  codeTtlSeconds?: number;
  /** Serve the `/__mock/*` test controls; default true. */
  controls?: boolean;
  /** Bare-UUID keys accepted as dashboard keys of the test account. */
  legacyKeys?: string[];
  /** API requests per second per key; `null` (the default) = unlimited, 0 = every request 429. */
  rateLimit?: { perSecond: number | null };
  /** The signed-in test account. */
  account?: { email?: string; balanceUsd?: number };
  /** Per-IP limits of the device-login endpoints (spec: start 10/min, poll 60/min); `null` turns one off. */
  deviceRateLimit?: { startPerMinute?: number | null; pollPerMinute?: number | null };
  /** Per-IP requests per minute to each of `/auth`, `/oauth/authorize`, `/oauth/register`, `/oauth/token` and `/api/v1/auth/keys`; default 1000, `null` = unlimited. */
  oauthRateLimit?: { perMinute: number | null };
  /** The most entries each store holds (the oldest, or least recently used, goes first); see `DEFAULT_STORE_CAPS`. */
  maxEntries?: Partial<StoreCaps>;
  /** How long a client may take to send the request headers (default 10 s) and the whole request (default 30 s); then 408. */
  timeouts?: { headersMs?: number; requestMs?: number };
  /** Open connections at most (default 1000); more are closed at once. */
  maxConnections?: number;
  /** Source of real time (epoch ms); the `/__mock/clock` offset is added to it. For tests. */
  now?: () => number;
  /** Chat completions accept only catalogue models; any other id is 404 `model_not_found`. Default false: any well-formed id. */
  catalogueOnly?: boolean;
  /** Milliseconds between the chunks of a streamed completion; default 20 (0 = all at once). */
  streamChunkDelayMs?: number;
}

export interface MockServer {
  /** `http://127.0.0.1:<port>`: also the issuer (no trailing slash). */
  url: string;
  port: number;
  /** A typed client of this server's `/__mock/*` test controls (404s when `controls: false`). */
  controls: MockControls;
  close(): Promise<void>;
}

/** Far above what a test suite holds between resets, far below what hurts a developer's machine. */
export const DEFAULT_STORE_CAPS: Readonly<StoreCaps> = {
  clients: 1000,
  consents: 1000,
  codes: 1000,
  deviceLogins: 1000,
  keys: 10_000,
  rateLimitWindows: 10_000,
  usageEntries: 100_000,
};
const DEFAULT_OAUTH_PER_MINUTE = 1000;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_CONNECTIONS = 1000;

const MAX_CODE_TTL_SECONDS = 86_400;
const MAX_STREAM_CHUNK_DELAY_MS = 10_000;

function validateOptions(options: MockServerOptions): void {
  const fail = (message: string) => {
    throw new MockServerError('invalid_options', message);
  };
  const { port, codeTtlSeconds, legacyKeys, rateLimit, account, oauthRateLimit, maxEntries, timeouts, maxConnections, streamChunkDelayMs } = options;
  const isPositiveInteger = (value: number | undefined) => value === undefined || (Number.isInteger(value) && value > 0);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) fail('port must be an integer from 0 to 65535');
  // Bounded so that code expiry times stay representable (an Infinity TTL made keys/code answer 500).
  if (codeTtlSeconds !== undefined && !(codeTtlSeconds > 0 && codeTtlSeconds <= MAX_CODE_TTL_SECONDS)) {
    fail(`codeTtlSeconds must be positive and at most ${MAX_CODE_TTL_SECONDS} (one day)`);
  }
  // A legacy key is a NanoGPT key without the sk-nano- prefix (spec §1).
  for (const key of legacyKeys ?? []) if (!isNanoGptKey(key) || /^sk-nano-/i.test(key)) fail('legacyKeys must be bare UUIDs');
  const perSecond = rateLimit?.perSecond;
  if (perSecond !== undefined && perSecond !== null && (!Number.isInteger(perSecond) || perSecond < 0)) {
    fail('rateLimit.perSecond must be a non-negative integer or null');
  }
  if (account?.balanceUsd !== undefined && !(account.balanceUsd >= 0 && Number.isFinite(account.balanceUsd))) fail('account.balanceUsd must be >= 0');
  if (streamChunkDelayMs !== undefined && !(Number.isInteger(streamChunkDelayMs) && streamChunkDelayMs >= 0 && streamChunkDelayMs <= MAX_STREAM_CHUNK_DELAY_MS)) {
    fail(`streamChunkDelayMs must be an integer from 0 to ${MAX_STREAM_CHUNK_DELAY_MS}`);
  }
  const perMinute = oauthRateLimit?.perMinute;
  if (perMinute !== undefined && perMinute !== null && (!Number.isInteger(perMinute) || perMinute < 0)) {
    fail('oauthRateLimit.perMinute must be a non-negative integer or null');
  }
  for (const [store, cap] of Object.entries(maxEntries ?? {})) {
    if (!isPositiveInteger(cap)) fail(`maxEntries.${store} must be a positive integer`);
  }
  if (!isPositiveInteger(timeouts?.headersMs) || !isPositiveInteger(timeouts?.requestMs)) fail('timeouts must be positive integers of ms');
  if (requestTimeoutMs(options) < headersTimeoutMs(options)) fail('timeouts.requestMs must be at least timeouts.headersMs');
  if (!isPositiveInteger(maxConnections)) fail('maxConnections must be a positive integer');
}

const headersTimeoutMs = (options: MockServerOptions): number => options.timeouts?.headersMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
const requestTimeoutMs = (options: MockServerOptions): number =>
  options.timeouts?.requestMs ?? Math.max(DEFAULT_REQUEST_TIMEOUT_MS, headersTimeoutMs(options));

/** Pages whose GET opens a consent: HEAD (link checkers, prefetchers) gets their headers and makes nothing. */
const PAGES_THAT_OPEN_CONSENTS = ['/auth', '/oauth/authorize', '/cli-login/verify'];

export function buildRouter(controls: boolean): Router {
  const router = new Router();
  registerDiscovery(router);
  registerAgentDocuments(router);
  registerRegistration(router);
  registerAuthorize(router);
  registerConsent(router);
  registerToken(router);
  registerDownstream(router);
  registerDevice(router);
  registerApi(router);
  registerUsage(router);
  if (controls) registerControls(router);
  for (const page of PAGES_THAT_OPEN_CONSENTS) router.on('HEAD', page, ({ res }) => sendPageHead(res));
  return router;
}

function createMockState(options: MockServerOptions, clock: Clock): MockState {
  return new MockState(
    {
      codeTtlMs: (options.codeTtlSeconds ?? 60) * 1000,
      consentTtlMs: CONSENT_TTL_MS,
      deviceTtlMs: DEVICE_TTL_SECONDS * 1000,
      legacyKeys: options.legacyKeys ?? [],
      rateLimitPerSecond: options.rateLimit?.perSecond ?? null,
      account: {
        id: 'user_mock_test_account',
        email: options.account?.email ?? 'test@example.com',
        balanceUsd: options.account?.balanceUsd ?? 25,
      },
      deviceStartPerMinute: options.deviceRateLimit?.startPerMinute === undefined ? 10 : options.deviceRateLimit.startPerMinute,
      devicePollPerMinute: options.deviceRateLimit?.pollPerMinute === undefined ? 60 : options.deviceRateLimit.pollPerMinute,
      oauthPerMinute: options.oauthRateLimit === undefined ? DEFAULT_OAUTH_PER_MINUTE : options.oauthRateLimit.perMinute,
      caps: { ...DEFAULT_STORE_CAPS, ...options.maxEntries },
      catalogueOnly: options.catalogueOnly ?? false,
      streamChunkDelayMs: options.streamChunkDelayMs ?? 20,
    },
    clock,
  );
}

/** The request handler: CORS, the controls' guard, routing, rate limits, and turning thrown errors into JSON answers. */
export function createHandler(state: MockState, router: Router) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { path, query } = splitUrl(req.url);
    const cors = isCorsPath(path);
    try {
      if (cors && req.method === 'OPTIONS') return answerPreflight(req, res);
      if (cors) applyCors(req, res);
      if (isControlPath(path)) refuseForeignControlRequest(req, state.issuer);
      const handler = router.match(req.method ?? 'GET', path);
      // Thrown, so that they take the path's error shape too (the OpenAI envelope under /api/v1).
      if (handler === null) {
        req.resume();
        throw new HttpError(404, 'not_found', 'No such endpoint');
      }
      if (handler === 'method') {
        req.resume();
        throw new HttpError(405, 'method_not_allowed', 'Method not allowed', { headers: { allow: router.allowed(path) } });
      }
      limitOAuthEndpoint(state, req, path);
      await handler({ req, res, state, path, query });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const answer = error instanceof HttpError ? error : new HttpError(500, 'server_error', 'Internal error in the mock server');
      const body =
        answer.body ??
        (usesOpenAiEnvelope(path) ? openAiErrorBody(answer) : { error: answer.error, error_description: answer.message, ...answer.extra });
      sendJson(res, answer.status, body, { ...NO_STORE, ...answer.headers });
    }
  };
}

function formatUrl(address: AddressInfo, requestedHost: string): string {
  let host = requestedHost;
  if (host === '0.0.0.0' || host === '::' || host === '') host = '127.0.0.1';
  if (host.includes(':') && !host.startsWith('[')) host = `[${host}]`;
  return `http://${host}:${address.port}`;
}

/** Start a mock NanoGPT server. Resolves once it is listening. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  validateOptions(options);
  const host = options.host ?? '127.0.0.1';
  const clock = createClock(options.now);
  const state = createMockState(options, clock);
  const router = buildRouter(options.controls ?? true);
  const handler = createHandler(state, router);
  const headersTimeout = headersTimeoutMs(options);
  const server: Server = createServer(
    {
      keepAliveTimeout: 5000,
      // A client that sends its headers or body too slowly gets a 408 and loses the connection.
      headersTimeout,
      requestTimeout: requestTimeoutMs(options),
      // How often Node looks for such clients (its default, 30 s, would let them linger).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    (req, res) => {
      void handler(req, res);
    },
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new MockServerError('listen_failed', `Could not listen on ${host}:${options.port ?? 0}: ${error.message}`, { cause: error })),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  state.issuer = formatUrl(address, host);
  const sweeper = setInterval(() => state.sweep(), 5000);
  sweeper.unref();
  let closing: Promise<void> | undefined;
  return {
    url: state.issuer,
    port: address.port,
    controls: new MockControls(state.issuer),
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
