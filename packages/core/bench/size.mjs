// Prints the browser bundle size (minified, and minified + gzip level 9) of a minimal sign-in
// entry using the default (shortcut) flow, and of the same entry using the standard flow.
// Same measurement as the peers quoted in the README: esbuild bundle, minify, ESM, browser.
import { gzipSync } from 'node:zlib';
import { bundleForBrowser } from './bundle.mjs';

const entries = {
  'minimal sign-in (shortcut flow, default)': `
import { createNanoGptAuth } from '../dist/index.js';
const auth = createNanoGptAuth({ clientName: 'Demo' });
document.querySelector('#sign-in').onclick = () => auth.signIn();
auth.handleRedirectCallback().then(() => { document.body.dataset.key = auth.getKey() ?? ''; });
`,
  'minimal sign-in (standard flow)': `
import { createNanoGptAuth } from '../dist/index.js';
import { standardFlow } from '../dist/standard.js';
const auth = createNanoGptAuth({ clientName: 'Demo', flow: standardFlow });
document.querySelector('#sign-in').onclick = () => auth.signIn();
auth.handleRedirectCallback().then(() => { document.body.dataset.key = auth.getKey() ?? ''; });
`,
};

const TARGET = 3500;
let over = false;
for (const [name, contents] of Object.entries(entries)) {
  const code = await bundleForBrowser(contents);
  const gz = gzipSync(code, { level: 9 }).length;
  console.log(`${name}: ${code.length} B min, ${gz} B min+gzip`);
  if (name.includes('default')) {
    over = gz > TARGET;
    console.log(`  target <= ${TARGET} B min+gzip: ${over ? 'MISSED' : 'met'}`);
    if (/discover|registration_endpoint|oauth-authorization-server/.test(Buffer.from(code).toString()))
      console.log('  WARNING: standard-flow code leaked into the default bundle');
  }
}
console.log('peers (same measurement): @badgateway/oauth2-client 3515, oauth4webapi code flow 6345, oidc-client-ts 17816, auth0-spa-js 63996');
