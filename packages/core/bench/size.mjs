// Prints the browser bundle size (minified, and minified + gzip level 9) of a minimal sign-in
// entry using the default (shortcut) flow and of the same entry using the standard flow, then the
// same measurement of each peer library (bench/peers.mjs), made in this same run, as a table.
import { version as esbuildVersion } from 'esbuild';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import { bundleForBrowser } from './bundle.mjs';
import { peers } from './peers.mjs';

const TARGET = 3500;
const ELEMENT_TARGET = 6000;
const LEAK_MARKERS = /discover|registration_endpoint|oauth-authorization-server/;

const ours = [
  {
    name: 'minimal sign-in (shortcut flow, default)',
    tableName: '@nanogpt-signin/core (default flow)',
    isDefault: true,
    source: `
import { createNanoGptAuth } from '../dist/index.js';
const auth = createNanoGptAuth({ clientName: 'Demo' });
document.querySelector('#sign-in').onclick = () => auth.signIn();
auth.handleRedirectCallback().then(() => { document.body.dataset.key = auth.getKey() ?? ''; });
`,
  },
  {
    name: 'sign-in button: core + <nanogpt-signin-button> + popup + tabs',
    tableName: '@nanogpt-signin/button (element, popup, tabs)',
    flow: 'popup',
    target: ELEMENT_TARGET,
    // The standard flow is import()ed only when flow="standard" signs in: a bundler splits it off.
    external: ['@nanogpt-signin/core/standard'],
    source: `
import '../../button/dist/index.js';
document.body.innerHTML = '<nanogpt-signin-button client-name="Demo" mode="popup"></nanogpt-signin-button>';
`,
  },
  {
    name: 'minimal sign-in (standard flow)',
    tableName: '@nanogpt-signin/core (standardFlow)',
    isDefault: false,
    source: `
import { createNanoGptAuth } from '../dist/index.js';
import { standardFlow } from '../dist/standard.js';
const auth = createNanoGptAuth({ clientName: 'Demo', flow: standardFlow });
document.querySelector('#sign-in').onclick = () => auth.signIn();
auth.handleRedirectCallback().then(() => { document.body.dataset.key = auth.getKey() ?? ''; });
`,
  },
];

/** @param {string} packageJsonPath relative to this folder */
const versionOf = (packageJsonPath) => JSON.parse(readFileSync(new URL(packageJsonPath, import.meta.url), 'utf8')).version;

/** @returns {Promise<{ code: Uint8Array, min: number, gzip: number } | { failure: string }>} */
async function measure(source, external) {
  try {
    const code = await bundleForBrowser(source, { external });
    return { code, min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  } catch (error) {
    const first = error.errors?.[0];
    const more = error.errors?.length > 1 ? ` (+${error.errors.length - 1} more)` : '';
    return { failure: first ? `${first.text}${more}` : String(error.message ?? error) };
  }
}

console.log(`esbuild ${esbuildVersion} (bundle, minify, esm, platform browser), gzip level 9; node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')}`);

const ourVersion = versionOf('../package.json');
const rows = [];
let defaultGzip;
for (const entry of ours) {
  const result = await measure(entry.source, entry.external);
  if ('failure' in result) throw new Error(`${entry.name}: ${result.failure}`); // ours must always bundle
  console.log(`${entry.name}: ${result.min} B min, ${result.gzip} B min+gzip`);
  if (entry.target) console.log(`  target <= ${entry.target} B min+gzip: ${result.gzip > entry.target ? 'MISSED' : 'met'}`);
  if (entry.isDefault) {
    defaultGzip = result.gzip;
    console.log(`  target <= ${TARGET} B min+gzip: ${result.gzip > TARGET ? 'MISSED' : 'met'}`);
    if (LEAK_MARKERS.test(Buffer.from(result.code).toString()))
      console.log('  WARNING: standard-flow code leaked into the default bundle');
  }
  rows.push({ flow: entry.flow ?? 'redirect', name: entry.tableName, version: ourVersion, result });
}
for (const peer of peers)
  rows.push({ flow: peer.flow, name: peer.name, version: versionOf(`node_modules/${peer.library}/package.json`), result: await measure(peer.source) });

// A failed peer's reason goes in its last cell, left out of the column widths so it cannot widen them.
const header = ['flow', 'entry', 'version', 'min B', 'min+gzip B', 'vs ours'];
const table = rows.map(({ flow, name, version, result }) =>
  'failure' in result
    ? { cells: [flow, name, version, '-', '-'], failure: `not bundleable: ${result.failure}` }
    : { cells: [flow, name, version, String(result.min), String(result.gzip), `${(result.gzip / defaultGzip).toFixed(2)}x`] });
const widths = header.map((title, column) => Math.max(title.length, ...table.map(({ cells }) => cells[column]?.length ?? 0)));
const rightAligned = (column) => column >= 3;
const line = (cells) => `| ${cells.map((cell, column) => (rightAligned(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(' | ')} |`;
console.log(`\nside by side ("vs ours" = min+gzip / ours, default flow, ${defaultGzip} B):`);
console.log(line(header));
console.log(`|${widths.map((width, column) => (rightAligned(column) ? `${'-'.repeat(width + 1)}:` : `:${'-'.repeat(width + 1)}`)).join('|')}|`);
for (const { cells, failure } of table) console.log(failure ? `${line(cells)} ${failure} |` : line(cells));
