// @vitest-environment node
// Server-side rendering: the module is imported where there is no DOM.
import { expect, it } from 'vitest';

it('importing the element where there is no DOM does nothing and throws nothing', async () => {
  expect(typeof HTMLElement).toBe('undefined');
  expect(typeof customElements).toBe('undefined');
  const globalsBefore = Object.getOwnPropertyNames(globalThis).sort();
  const module = await import('../src/index.js');
  expect(module.TAG_NAME).toBe('nanogpt-signin-button');
  expect(typeof module.NanoGptSigninButton).toBe('function');
  // Nothing defined, nothing added to the global scope.
  expect(Object.getOwnPropertyNames(globalThis).sort()).toEqual(globalsBefore);
});
