// The default entry must not ship standard-flow code or oauth4webapi (size: see bench/size.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bundle = async (contents: string) => {
  const out = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
};

describe('tree-shaking (built dist)', () => {
  it('a default-flow app bundles neither the standard flow nor oauth4webapi', async () => {
    const code = await bundle(`import { createNanoGptAuth } from '../dist/index.js';
      const a = createNanoGptAuth(); a.handleRedirectCallback(); onclick = () => a.signIn();`);
    expect(code).toContain('/api/v1/auth/keys');
    for (const marker of ['oauth-authorization-server', '/oauth/register', 'registration_endpoint', 'oauth4webapi'])
      expect(code).not.toContain(marker);
  });

  it('an app importing standardFlow does bundle it', async () => {
    const code = await bundle(`import { createNanoGptAuth } from '../dist/index.js';
      import { standardFlow } from '../dist/standard.js';
      createNanoGptAuth({ flow: standardFlow }).signIn();`);
    expect(code).toContain('oauth-authorization-server');
  });
});
