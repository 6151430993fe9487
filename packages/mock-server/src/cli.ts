#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startMockServer } from './server.js';

const USAGE = `Usage: nanogpt-mock [--port N] [--host H]

  --port N   port to listen on (default 4010; 0 = any free port)
  --host H   interface to bind (default 127.0.0.1)
  --help     show this help`;

async function main(): Promise<void> {
  let values: { port?: string; host?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean' } },
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = values.port === undefined ? 4010 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '4010') || port > 65535) {
    process.stderr.write(`--port must be a number from 0 to 65535\n`);
    process.exit(2);
  }
  const server = await startMockServer({ port, host: values.host ?? '127.0.0.1' }).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  process.stdout.write(`NanoGPT mock server listening on ${server.url}\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
