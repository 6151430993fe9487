import { DEFAULT_LOOPBACK_TIMEOUT_MS } from '../defaults.js';
import { receiveDownstreamKey } from '../handoff.js';
import type { Command } from './args.js';
import { commandIssuer, say, type CliIo } from './io.js';
import { emitKey } from './key-output.js';
import { createProgress } from './progress.js';

/**
 * The agent's side of a hand-off: prints a request (one JSON line on stdout, no secret), waits on
 * a loopback redirect for `nanogpt-login mint --to '<that line>'`, and redeems the code itself.
 */
export async function receive(command: Extract<Command, { kind: 'receive' }>, io: CliIo): Promise<number> {
  const issuer = commandIssuer(command.issuer, io);
  const timeoutMs = command.timeoutSeconds !== undefined ? command.timeoutSeconds * 1000 : DEFAULT_LOOPBACK_TIMEOUT_MS;
  const receiver = await receiveDownstreamKey({
    issuer,
    timeoutMs,
    signal: io.signal,
    port: command.port,
  });
  io.stdout.write(`${JSON.stringify(receiver.request)}\n`);
  say(io, "Waiting for a key. Where your NanoGPT key is, run: nanogpt-login mint --to '<the JSON line above>' [--limit ...]");
  const progress = createProgress(io.stderr);
  progress.start('Waiting for the key', Date.now() + timeoutMs);
  try {
    const result = await receiver.result;
    progress.stop();
    await emitKey(result.key, `Received {key} (scopes: ${result.scope})`, command, io);
    return 0;
  } finally {
    progress.stop();
  }
}
