// The one browser bundling setup behind both the size bench (bench/size.mjs) and the tree-shaking
// test (test/bundle.test.ts), so the test checks the very bundle whose size the README quotes.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles an entry (source text; imports resolve from this folder, e.g. `../dist/index.js`) the way
 * the peers' figures were measured: esbuild bundle, minify, ESM, platform browser.
 * @param {string} contents
 * @returns {Promise<Uint8Array>} the minified bundle
 */
export async function bundleForBrowser(contents) {
  const out = await build({
    stdin: { contents, resolveDir: dir, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0].contents;
}
