// The one browser bundling setup behind both the size bench (bench/size.mjs) and the tree-shaking
// test (test/bundle.test.ts), so the test checks the very bundle whose size the README quotes,
// and every peer in the bench is bundled exactly like ours.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles an entry (source text; imports resolve from this folder, e.g. `../dist/index.js`, or a
 * peer pinned in ./package.json): esbuild bundle, minify, ESM, platform browser.
 * @param {string} contents
 * @param {{ external?: string[] }} [options] modules left out: ones the entry only loads on demand (`import()`), which an app's bundler splits into their own chunk
 * @returns {Promise<Uint8Array>} the minified bundle
 */
export async function bundleForBrowser(contents, { external = [] } = {}) {
  const out = await build({
    external,
    stdin: { contents, resolveDir: dir, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    treeShaking: true,
    plugins: [browserFieldAfterExports],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].contents;
}

/**
 * Applies a package's `browser` field map to the file its `exports` resolved to, as Vite, webpack
 * and Rollup do for browser builds; esbuild by design does not (evanw/esbuild#2593, #3788). Without it a
 * package that swaps its Node build for a browser one this way (@huggingface/hub) bundles its
 * Node build and fails on `fs`. Packages without such a map (ours included) are unaffected.
 * @type {import('esbuild').Plugin}
 */
const browserFieldAfterExports = {
  name: 'browser-field-after-exports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === browserFieldAfterExports) return undefined; // our own resolve below
      const resolved = await pluginBuild.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: browserFieldAfterExports,
      });
      if (resolved.errors.length > 0 || resolved.external || !resolved.path) return undefined;
      const packageRoot = await findPackageRoot(resolved.path, packageName(args.path));
      const browser = packageRoot && (await readPackageJson(packageRoot)).browser;
      const mapped = browser && typeof browser === 'object' ? browser[`./${relative(packageRoot, resolved.path).split(sep).join('/')}`] : undefined;
      return typeof mapped === 'string' ? { path: join(packageRoot, mapped) } : resolved;
    });
  },
};

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** @type {Map<string, Promise<Record<string, unknown>>>} */
const packageJsons = new Map();
const readPackageJson = (folder) => {
  if (!packageJsons.has(folder))
    packageJsons.set(folder, readFile(join(folder, 'package.json'), 'utf8').then(JSON.parse, () => ({})));
  return packageJsons.get(folder);
};

/** The folder above `file` whose package.json is named `name`, or undefined. */
async function findPackageRoot(file, name) {
  for (let folder = dirname(file); folder !== dirname(folder); folder = dirname(folder))
    if ((await readPackageJson(folder)).name === name) return folder;
  return undefined;
}
