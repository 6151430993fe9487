import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** The first ```ts block after `heading` in this package's README: the text that runs below, never a copy. */
async function snippetAfter(heading: string): Promise<string> {
  const text = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(text.indexOf(heading)));
  if (!block?.[1]) throw new Error(`no ts block after "${heading}" in README.md`);
  return block[1];
}

/*
 * The README's MockControls block, pasted into a fresh ESM project that has installed the core and
 * the mock (links to the built packages): it type-checks (strict) and runs to the end.
 */
describe('README: the typed controls client block', { timeout: 60_000 }, () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'mock-readme-'));
    await mkdir(join(project, 'node_modules', '@nanogpt-signin'), { recursive: true });
    for (const name of ['core', 'mock-server']) await symlink(join(PACKAGES, name), join(project, 'node_modules', '@nanogpt-signin', name));
    await writeFile(join(project, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(project, 'controls.ts'), await snippetAfter('## Typed controls client'));
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('type-checks as pasted', async () => {
    const typeRoots = fileURLToPath(new URL('../../../node_modules/@types', import.meta.url));
    const tsconfig = { compilerOptions: { strict: true, module: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [typeRoots] }, files: ['controls.ts'] };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    // Rejects (with tsc's report) on any type error.
    await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project]);
  });

  it('runs as pasted and prints what its comments say', async () => {
    const { code } = await transform(await readFile(join(project, 'controls.ts'), 'utf8'), { loader: 'ts', format: 'esm' });
    await writeFile(join(project, 'controls.mjs'), code);
    const { stdout } = await run(process.execPath, [join(project, 'controls.mjs')], { cwd: project });
    expect(stdout.split('\n')).toEqual([
      expect.stringMatching(/^created sk-nano-…[0-9a-f]{4}$/),
      expect.stringMatching(/^signed in sk-nano-…[0-9a-f]{4} 1$/),
      "pending [ 'my-tool' ]",
      'device login approved',
      'spent 0 of 0',
      'revoke failed: not_found',
      '',
    ]);
  });
});
