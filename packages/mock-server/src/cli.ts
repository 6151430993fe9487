// The nanogpt-mock program; bin/nanogpt-mock.js (the installed bin) imports it.
import { parseArgs } from 'node:util';
import { startMockServer } from './server.js';

const USAGE = `Usage: nanogpt-mock [--port N] [--host H] [--catalogue-only] [--stream-delay-ms N] [--balance USD]

  --port N             port to listen on (default 4010; 0 = any free port)
  --host H             interface to bind (default 127.0.0.1)
  --catalogue-only     chat accepts only models of GET /api/v1/models (others: 404 model_not_found)
  --stream-delay-ms N  milliseconds between streamed chunks (default 20; 0 = all at once)
  --balance USD        the test account's balance (default 25)
  --help               show this help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** A whole number from 0 to `max`, or the fallback when the flag is absent. */
function wholeNumber(value: string | undefined, fallback: number, max: number, flag: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > max) fail(`${flag} must be a number from 0 to ${max}`);
  return Number(value);
}

async function main(): Promise<void> {
  let values: { port?: string; host?: string; 'catalogue-only'?: boolean; 'stream-delay-ms'?: string; balance?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'catalogue-only': { type: 'boolean' },
        'stream-delay-ms': { type: 'string' },
        balance: { type: 'string' },
        help: { type: 'boolean' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = wholeNumber(values.port, 4010, 65535, '--port');
  const streamChunkDelayMs = wholeNumber(values['stream-delay-ms'], 20, 10_000, '--stream-delay-ms');
  const balance = values.balance;
  if (balance !== undefined && !/^\d+(\.\d+)?$/.test(balance)) fail('--balance must be a USD amount such as 25 or 0.5');
  const server = await startMockServer({
    port,
    host: values.host ?? '127.0.0.1',
    catalogueOnly: values['catalogue-only'] ?? false,
    streamChunkDelayMs,
    ...(balance === undefined ? {} : { account: { balanceUsd: Number(balance) } }),
  }).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  process.stdout.write(`NanoGPT mock server listening on ${server.url}\n`);
  // Ctrl-C can arrive twice (the terminal's, then the one pnpm passes on to its child): every
  // signal after the first waits for the same close instead of killing the process mid-close.
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
