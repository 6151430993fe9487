import { expect, it, vi } from 'vitest';

it('importing the module twice defines the element once, the first definition staying', async () => {
  const first = await import('../src/index.js');
  expect(customElements.get(first.TAG_NAME)).toBe(first.NanoGptSigninButton);
  expect(document.createElement(first.TAG_NAME)).toBeInstanceOf(first.NanoGptSigninButton);

  // A second copy of the module (another bundle on the page): evaluated again, it must not define again.
  vi.resetModules();
  const second = await import('../src/index.js');
  expect(second.NanoGptSigninButton).not.toBe(first.NanoGptSigninButton);
  expect(customElements.get(second.TAG_NAME)).toBe(first.NanoGptSigninButton);
});
