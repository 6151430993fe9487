import { expect, test } from '../support/fixtures.js';

// The attack of issue 12, in a real browser: a page open next to `pnpm demo` (here the demo's own
// origin, which is even same-site with the mock) tries to read and drive the mock's test controls.
test('a web page cannot read or drive the mock /__mock/ controls', async ({ page, mock, servers }) => {
  const pending = await fetch(`${servers.mockUrl}/auth?callback_url=${encodeURIComponent('http://127.0.0.1:5555/callback')}&code_challenge=${'a'.repeat(43)}`);
  expect(pending.status).toBe(200);
  await pending.arrayBuffer();

  await page.goto('/');
  const outcome = await page.evaluate(async (mockUrl) => {
    const read = await fetch(`${mockUrl}/__mock/pending`).then(
      async (response) => `read ${response.status}: ${await response.text()}`,
      () => 'blocked',
    );
    // Body-less (and text/plain) POSTs need no preflight: the browser sends them, the answer is opaque.
    for (const path of ['/__mock/consents/approve', '/__mock/keys', '/__mock/reset']) {
      await fetch(`${mockUrl}${path}`, { method: 'POST', mode: 'no-cors' }).catch(() => undefined);
      await fetch(`${mockUrl}${path}`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' }).catch(() => undefined);
    }
    return read;
  }, servers.mockUrl);

  expect(outcome).toBe('blocked');
  // Nothing happened: the consent still waits, no code was issued and the account has no key.
  expect((await mock.pending()).consents).toHaveLength(1);
  expect((await mock.counters()).codesIssued).toBe(0);
  expect(await mock.listKeys()).toEqual([]);
});
