// `pnpm demo`: the local NanoGPT mock (port 4010) and the demo (port 5173) together.
// With VITE_NANOGPT_ISSUER set (e.g. https://nano-gpt.com) only the demo starts.
import { fileURLToPath } from 'node:url';
import { startMockServer } from '@nanogpt-signin/mock-server';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.DEMO_PORT ?? 5173);
const mockPort = Number(process.env.MOCK_PORT ?? 4010);

let mock;
let vite;
try {
  if (!process.env.VITE_NANOGPT_ISSUER) {
    mock = await startMockServer({ port: mockPort });
    process.env.VITE_NANOGPT_ISSUER = mock.url; // read by Vite like any VITE_* variable
  }
  vite = await createServer({ root, server: { port }, logLevel: 'warn' });
  await vite.listen();
} catch (error) {
  const busy = error?.code === 'EADDRINUSE' || /already in use/i.test(String(error?.message));
  console.error(busy
    ? `A port is already in use (demo ${port}, mock ${mockPort}). Stop the other server or set DEMO_PORT / MOCK_PORT.`
    : `Could not start the demo: ${error?.message ?? error}`);
  await vite?.close();
  await mock?.close();
  process.exit(1);
}

const issuer = process.env.VITE_NANOGPT_ISSUER;
console.log(`
  Sign in with NanoGPT demo:  http://127.0.0.1:${port}/
  Issuer:                     ${issuer}${mock ? '  (local mock, signed in as the test account)' : ''}

  Press Ctrl-C to stop.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([vite.close(), mock?.close()]);
  console.log('  Stopped the demo' + (mock ? ' and the mock.' : '.'));
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
