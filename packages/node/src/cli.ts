#!/usr/bin/env node
import { runCli } from './cli/run.js';

// Ctrl-C / SIGTERM cancel the sign-in (which closes the loopback server) and exit with 130;
// a second Ctrl-C exits at once.
const controller = new AbortController();
const onSignal = (): void => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = code;
// Idle keep-alive sockets of fetch can hold the event loop for seconds after the work is done;
// give pending output a moment, then leave. (Unref'd: a process that is already idle exits first.)
setTimeout(() => process.exit(code), 200).unref();
