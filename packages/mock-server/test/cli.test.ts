import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

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
});
