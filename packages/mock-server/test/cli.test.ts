import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// The installed bin: a committed shim that imports dist/cli.js.
const CLI = fileURLToPath(new URL('../bin/nanogpt-mock.js', import.meta.url));

function run(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.on('exit', () => reject(new Error(`exited: ${err}`)));
  });
  firstLine.catch(() => undefined); // tests that expect an exit never await the line
  return { child, firstLine, output: () => ({ out, err }) };
}

describe('nanogpt-mock CLI (built dist)', () => {
  it('its bin is a committed file outside dist/ (an install links bins before `prepare` builds)', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin['nanogpt-mock']).toBe('./bin/nanogpt-mock.js');
    // Throws when git does not track the file.
    execFileSync('git', ['ls-files', '--error-unmatch', CLI], { stdio: 'ignore' });
    expect((await readFile(CLI, 'utf8')).split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('--port 0 prints one listening line, serves, and exits cleanly on SIGTERM', async () => {
    const { child, firstLine, output } = run(['--port', '0']);
    const line = await firstLine;
    expect(line).toMatch(/^NanoGPT mock server listening on http:\/\/127\.0\.0\.1:\d+$/);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? '';
    const res = await fetch(`${url}/.well-known/oauth-authorization-server`);
    expect(((await res.json()) as { issuer: string }).issuer).toBe(url);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output().out.trim().split('\n')).toHaveLength(1);
  });

  it('--catalogue-only, --stream-delay-ms and --balance configure the server', async () => {
    const { child, firstLine } = run(['--port', '0', '--catalogue-only', '--stream-delay-ms', '0', '--balance', '0']);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(await firstLine)?.[0] ?? '';
    const { key } = (await (await fetch(`${url}/__mock/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { key: string };
    const send = (model: string) =>
      fetch(`${url}/api/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
    expect((await send('lab/unknown')).status).toBe(404);
    expect((await send('gpt-4.1-nano')).status).toBe(402);
    const streamed = await send('nano-mock-echo');
    expect(streamed.status).toBe(200);
    expect(await streamed.text()).toContain('data: [DONE]');
    child.kill('SIGTERM');
    expect(((await once(child, 'exit')) as [number | null])[0]).toBe(0);
  });

  it.each([['--stream-delay-ms', 'soon'], ['--stream-delay-ms', '10001'], ['--balance', '-1'], ['--balance', 'lots']])('rejects %s %s with exit code 2', async (flag, value) => {
    const { child, output } = run(['--port', '0', flag, value]);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(output().err).toContain(flag);
  });

  it('rejects a bad --port with exit code 2', async () => {
    const { child } = run(['--port', 'abc']);
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
  });

  it('reports a port in use with exit code 1', async () => {
    const first = run(['--port', '0']);
    const port = /:(\d+)$/.exec(await first.firstLine)?.[1] ?? '';
    const second = run(['--port', port]);
    const [code] = (await once(second.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(second.output().err).toContain('Could not listen');
    first.child.kill('SIGINT');
    expect(((await once(first.child, 'exit')) as [number | null])[0]).toBe(0);
  });

  it('the root `pnpm mock`: Ctrl-C closes the server and exits 0, without an ELIFECYCLE line', async () => {
    // Its own process group, as a terminal's foreground job: Ctrl-C signals every process in it.
    const child = spawn('pnpm', ['mock', '--port', '0'], { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => {
          if (/listening on http:\/\/127\.0\.0\.1:\d+\n/.test(out)) resolve();
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      process.kill(-(child.pid ?? 0), 'SIGINT');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(out).toContain('\n> exec sh scripts/mock.sh --port 0\n');
      expect(out).not.toContain('ELIFECYCLE');
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid ?? 0), 'SIGKILL');
    }
  });
});
