import { startMockServer, type MockServer } from '@nanogpt-signin/mock-server';
import { isNanoGptKey } from '@nanogpt-signin/core';
import { describe, expect, it } from 'vitest';
import { signInWithDevice, type DeviceCodeInfo, type DeviceSignInOptions } from '../src/index.js';
import { deferred, firstReport, holdSleeps, modelsStatus } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();

interface StartedLogin {
  result: ReturnType<typeof signInWithDevice>;
  info: DeviceCodeInfo;
  /** Ends the wait before the next poll; the server's clock moves by as much as the login waited. */
  nextPoll(): Promise<number>;
}

/**
 * Starts a device login against `server` that polls only when the test says so (`nextPoll`):
 * no real sleeping, and the server sees its time move as if the login had waited.
 */
async function start(options: Partial<DeviceSignInOptions> = {}, server: Pick<MockServer, 'url' | 'controls'> = mock): Promise<StartedLogin> {
  const seen = deferred<DeviceCodeInfo>();
  const held = holdSleeps((ms) => server.controls.advanceClock(ms / 1000));
  const result = signInWithDevice({ issuer: server.url, clientName: 'device test', onCode: seen.resolve, sleep: held.sleep, ...options });
  return { result, info: await firstReport(seen.promise, result), nextPoll: held.wake };
}

describe('signInWithDevice against the mock', { timeout: 30_000 }, () => {
  it('shows an absolute verification URL and the user code, and returns the key once approved', async () => {
    const { result, info, nextPoll } = await start();
    expect(Object.keys(info).sort()).toEqual(['expiresIn', 'userCode', 'verificationUri', 'verificationUriComplete']);
    expect(info.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(info.verificationUri).toBe(`${mock.url}/cli-login/verify`);
    expect(new URL(info.verificationUriComplete).searchParams.get('code')).toBe(info.userCode);
    expect(info.verificationUriComplete.startsWith(`${mock.url}/`)).toBe(true);
    const pending = await mock.controls.pending();
    expect(pending.deviceLogins).toEqual([expect.objectContaining({ userCode: info.userCode, clientName: 'device test' })]);
    await mock.controls.approveDevice(info.userCode);
    expect(await nextPoll()).toBe(2000);
    const { key } = await result;
    expect(isNanoGptKey(key)).toBe(true);
    expect(await modelsStatus(mock.url, key)).toBe(200);
    const inspected = await mock.controls.inspectKey(key);
    expect(inspected.kind).toBe('cli');
    expect(inspected.name).toBe('CLI (device test)');
  });

  it('makes relative verification URIs (as NanoGPT sends them) absolute against the issuer', async () => {
    // The mock answers with absolute URLs; NanoGPT's spec shows paths. Rewrite the real answer.
    const relative: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith('/api/cli-login/start')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      body.verification_uri = '/cli-login/verify';
      body.verification_uri_complete = `/cli-login/verify?code=${String(body.user_code)}`;
      return new Response(JSON.stringify(body), { status: response.status, headers: { 'content-type': 'application/json' } });
    };
    const { result, info, nextPoll } = await start({ fetch: relative });
    expect(info.verificationUri).toBe(`${mock.url}/cli-login/verify`);
    expect(info.verificationUriComplete).toBe(`${mock.url}/cli-login/verify?code=${info.userCode}`);
    await mock.controls.approveDevice(info.userCode);
    await nextPoll();
    await expect(result).resolves.toMatchObject({ scope: null });
  });

  it('ends with access_denied when the user denies', async () => {
    const { result, info, nextPoll } = await start();
    await mock.controls.denyDevice(info.userCode);
    await nextPoll();
    await expect(result).rejects.toMatchObject({ name: 'NanoGptNodeError', code: 'access_denied' });
  });

  it('reports an expired login', async () => {
    const { result, nextPoll } = await start();
    await mock.controls.advanceClock(601);
    await nextPoll();
    await expect(result).rejects.toMatchObject({ code: 'device_code_expired' });
  });

  it('reports a login whose key was already delivered (consumed)', async () => {
    // A second poller (another copy of the tool) takes the key first.
    let stolen = false;
    const racingFetch: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/api/cli-login/poll') && !stolen) {
        const status = await mock.controls.pending();
        if (status.deviceLogins.some((d) => d.status === 'approved')) {
          stolen = true;
          const first = await fetch(input, init);
          expect(first.status).toBe(200);
        }
      }
      return fetch(input, init);
    };
    const { result, info, nextPoll } = await start({ fetch: racingFetch });
    await mock.controls.approveDevice(info.userCode);
    await nextPoll();
    await expect(result).rejects.toMatchObject({ code: 'device_code_consumed' });
    expect(stolen).toBe(true);
  });

  it('reports a login the server no longer knows (404)', async () => {
    const { result, nextPoll } = await start();
    await mock.controls.reset();
    await nextPoll();
    await expect(result).rejects.toMatchObject({ code: 'device_code_invalid' });
  });

  it('slows down on 429 and honours Retry-After', async () => {
    // The mock counts polls per clock minute (fixed windows): its clock stands still just after a
    // minute boundary and moves only as the login waits, so the two polls (2 s apart) share one window.
    const boundary = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000;
    const limited = await startMockServer({ port: 0, deviceRateLimit: { pollPerMinute: 1 }, now: () => boundary });
    try {
      const controller = new AbortController();
      const waits: number[] = [];
      const pollAnswers: { status: number; retryAfter: string | null }[] = [];
      const spy: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (String(input instanceof Request ? input.url : input).endsWith('/poll')) {
          pollAnswers.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
        }
        return response;
      };
      const { result, nextPoll } = await start(
        {
          fetch: spy,
          signal: controller.signal,
          onPending: ({ nextPollInSeconds }) => {
            waits.push(nextPollInSeconds);
            if (waits.length === 2) controller.abort();
          },
        },
        limited,
      );
      await nextPoll();
      await nextPoll();
      await expect(result).rejects.toMatchObject({ code: 'aborted' });
      // First poll: pending, next one at the server's interval (2 s). Second: a real 429 from the
      // mock -> interval + 5 s, or its Retry-After when that is longer.
      expect(pollAnswers.map((a) => a.status)).toEqual([202, 429]);
      expect(waits[0]).toBe(2);
      expect(waits[1]).toBe(Math.max(7, Number(pollAnswers[1]?.retryAfter ?? 0)));
    } finally {
      await limited.close();
    }
  });

  it('times out and aborts with typed errors', async () => {
    // The timeout may fall before or after the login started: either way it is `timeout`.
    await expect(signInWithDevice({ issuer: mock.url, timeoutMs: 100, onCode: () => undefined })).rejects.toMatchObject({ code: 'timeout' });
    const controller = new AbortController();
    const aborted = await start({ signal: controller.signal });
    controller.abort();
    await expect(aborted.result).rejects.toMatchObject({ code: 'aborted' });
  });

  it('never passes the device code to callbacks or error messages', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/start')) {
        const body = (await response.clone().json()) as { device_code: string };
        seen.push(body.device_code);
      }
      return response;
    };
    const { result, info, nextPoll } = await start({ fetch: spy });
    await mock.controls.denyDevice(info.userCode);
    await nextPoll();
    const deviceCode = seen[0] ?? 'missing';
    expect(deviceCode).not.toBe('missing');
    expect(JSON.stringify(info)).not.toContain(deviceCode);
    await expect(result).rejects.toMatchObject({ message: expect.not.stringContaining(deviceCode), stack: expect.not.stringContaining(deviceCode) });
  });
});
