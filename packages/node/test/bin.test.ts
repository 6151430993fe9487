import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('the nanogpt-login bin', () => {
  it('is a committed file outside dist/ (an install links bins before `prepare` builds) that starts `node --`', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> };
    const target = manifest.bin['nanogpt-login'] ?? '';
    expect(target).toBe('./bin/nanogpt-login.js');
    // Throws when git does not track the file.
    execFileSync('git', ['ls-files', '--error-unmatch', target], { cwd: PACKAGE_DIR, stdio: 'ignore' });
    const source = await readFile(new URL(`../${target}`, import.meta.url), 'utf8');
    // `node --`: Node must not take our --env-file for itself (README: "Node reads --env-file itself").
    expect(source.split('\n')[0]).toBe('#!/usr/bin/env -S node --');
    expect(source).toContain("import '../dist/cli.js';");
  });
});
