import { createNanoGptAuth, tabSync } from '@nanogpt-signin/core';

// One client for the whole app, made once at module load: never inside a component, where
// StrictMode would make it twice.
export const auth = createNanoGptAuth({
  issuer: import.meta.env.VITE_NANOGPT_ISSUER || 'http://127.0.0.1:4010',
  clientName: 'NanoGPT React example',
  tabs: tabSync(),
});
