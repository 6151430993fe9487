// The default entry must not ship standard-flow code or oauth4webapi (size: see bench/size.mjs).
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../bench/bundle.mjs';

// Entries import '../dist/…' relative to bench/, where the bundler resolves them.
const bundle = async (contents: string) => new TextDecoder().decode(await bundleForBrowser(contents));

describe('tree-shaking (built dist)', () => {
  it('a default-flow app bundles neither the standard flow nor oauth4webapi', async () => {
    const code = await bundle(`import { createNanoGptAuth } from '../dist/index.js';
      const a = createNanoGptAuth(); a.handleRedirectCallback(); onclick = () => a.signIn();`);
    expect(code).toContain('/api/v1/auth/keys');
    for (const marker of ['oauth-authorization-server', '/oauth/register', 'registration_endpoint', 'oauth4webapi'])
      expect(code).not.toContain(marker);
    // Neither popup sign-in (core/popup) nor the tab channel (tabSync) unless the app imports them.
    for (const marker of ['nanogpt-signin:popup:', 'popup,width', 'BroadcastChannel', 'shareAcrossTabs'])
      expect(code).not.toContain(marker);
    // Nor the messages of the codes only core/popup throws (they are given at its throw sites).
    for (const marker of ['popup_blocked', 'popup_closed', 'sign-in popup']) expect(code).not.toContain(marker);
  });

  it('an app importing signInWithPopup and tabSync does bundle them', async () => {
    const code = await bundle(`import { createNanoGptAuth, tabSync } from '../dist/index.js';
      import { signInWithPopup } from '../dist/popup.js';
      onclick = () => signInWithPopup(createNanoGptAuth({ tabs: tabSync() }));`);
    expect(code).toContain('nanogpt-signin:popup:');
    expect(code).toContain('The sign-in popup was closed.');
    expect(code).toContain('BroadcastChannel');
  });

  it('fetchUsage alone (a server reading a key\'s spend) bundles no sign-in machinery', async () => {
    const code = await bundle(`import { fetchUsage } from '../dist/index.js';
      fetchUsage({ issuer: 'https://nano-gpt.com', key: 'k' }).then(console.log);`);
    expect(code).toContain('/api/v1/usage');
    for (const marker of ['code_challenge', 'nanogpt-signin:', '/api/v1/auth/keys', 'oauth-authorization-server'])
      expect(code).not.toContain(marker);
  });

  it('an app importing standardFlow does bundle it', async () => {
    const code = await bundle(`import { createNanoGptAuth } from '../dist/index.js';
      import { standardFlow } from '../dist/standard.js';
      createNanoGptAuth({ flow: standardFlow }).signIn();`);
    expect(code).toContain('oauth-authorization-server');
  });
});
