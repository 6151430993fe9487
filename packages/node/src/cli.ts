// The nanogpt-login program; bin/nanogpt-login.js (the installed bin, with its `node --` shebang)
// imports it.
import { signalExitCode } from './cli/child.js';
import { runCli } from './cli/run.js';

// Ctrl-C / SIGTERM cancel the sign-in (which closes the loopback server) and exit with 130;
// a second Ctrl-C exits at once. While exec runs a command, signals go to that command instead.
const controller = new AbortController();
let redirect: ((signal: NodeJS.Signals) => void) | null = null;
const onSignal = (signal: NodeJS.Signals): void => {
  if (redirect) {
    redirect(signal);
    return;
  }
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of SIGNALS) process.on(signal, onSignal);

const exit = await runCli(process.argv.slice(2), {
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
  redirectSignals(handler) {
    redirect = handler;
    return () => {
      redirect = null;
    };
  },
});
for (const signal of SIGNALS) process.off(signal, onSignal);
if (typeof exit !== 'number') {
  // The command was killed by a signal: die of the same one, so our parent sees what happened.
  process.kill(process.pid, exit.signal);
}
const code = typeof exit === 'number' ? exit : signalExitCode(exit.signal);
process.exitCode = code;
// Idle keep-alive sockets of fetch can hold the event loop for seconds after the work is done;
// give pending output a moment, then leave. (Unref'd: a process that is already idle exits first.)
setTimeout(() => process.exit(code), 200).unref();
