import { maskKey } from '@nanogpt-signin/core';
import { createInterface } from 'node:readline';
import { noBrowserReason, tryOpenBrowser } from '../browser.js';
import { loadCredentials, saveCredentials, type CredentialFlow } from '../credentials.js';
import { signInWithDevice, type DeviceSignInResult } from '../device.js';
import { DEFAULT_LOOPBACK_TIMEOUT_MS, SIGN_IN_URL_PREFIX } from '../defaults.js';
import { NanoGptNodeError } from '../errors.js';
import { checkNanoGptIssuer } from '../issuer-check.js';
import { signInWithLoopback } from '../loopback.js';
import type { Command } from './args.js';
import { checkEnvFile, writeKeyToEnvFile } from './env-file.js';
import { commandIssuer, say, showDeviceCode, type CliIo } from './io.js';
import { createProgress } from './progress.js';

type LoginCommand = Extract<Command, { kind: 'login' }>;

/** Asks on stderr and reads one line from stdin; no answer (end of input, Ctrl-C) means no. */
export function askYesNo(io: CliIo, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve) => {
    let answer = false;
    const onAbort = (): void => lines.close();
    io.signal.addEventListener('abort', onAbort, { once: true });
    lines.once('line', (line) => {
      answer = /^\s*y(es)?\s*$/i.test(line);
      lines.close();
    });
    lines.once('close', () => {
      io.signal.removeEventListener('abort', onAbort);
      if (!answer) io.stderr.write('\n');
      resolve(answer);
    });
  });
}

/**
 * A stored device-login key can mint downstream keys; a browser sign-in key (an OAuth key)
 * cannot. Replacing the first with the second asks first (or needs --force).
 */
async function confirmReplacingDeviceKey(command: LoginCommand, issuer: string, io: CliIo): Promise<void> {
  if (command.device || command.force || command.print || command.envFile !== undefined) return;
  const stored = await loadCredentials({ env: io.env, issuer, profile: command.profile });
  if (stored?.flow !== 'device') return;
  const question = `A device-login key (${maskKey(stored.key)}) is stored for ${issuer}; it can mint keys for agents, a browser sign-in key cannot. Replace it?`;
  if (await askYesNo(io, question)) return;
  throw new NanoGptNodeError('replace_declined', 'Kept the stored device key. Pass --force to replace it, or --profile NAME to keep both.');
}

export async function login(command: LoginCommand, io: CliIo): Promise<number> {
  const issuer = commandIssuer(command.issuer, io);
  if (command.envFile !== undefined) await checkEnvFile(command.envFile);
  await confirmReplacingDeviceKey(command, issuer, io);
  await checkNanoGptIssuer(issuer, { signal: io.signal });
  const progress = createProgress(io.stderr);
  const timeoutMs = command.timeoutSeconds !== undefined ? command.timeoutSeconds * 1000 : undefined;
  let result: DeviceSignInResult;
  let flow: CredentialFlow;
  try {
    if (command.device) {
      flow = 'device';
      result = await signInWithDevice({
        issuer,
        clientName: command.clientName,
        timeoutMs,
        signal: io.signal,
        onCode(info) {
          showDeviceCode(io, info.verificationUriComplete, info.userCode);
          progress.start('Waiting for you to approve the code', Date.now() + (timeoutMs ?? info.expiresIn * 1000));
          if (command.open) {
            void tryOpenBrowser(info.verificationUriComplete, undefined).then((outcome) => {
              if (outcome.opened) progress.line('Opened your browser.');
            });
          }
        },
      });
    } else {
      flow = command.standard ? 'loopback-standard' : 'loopback';
      const effectiveTimeout = timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS;
      const remote = io.env.SSH_CONNECTION || io.env.SSH_TTY ? noBrowserReason(io.env) : null;
      result = await signInWithLoopback({
        issuer,
        flow: command.standard ? 'standard' : 'shortcut',
        scope: command.scope,
        clientName: command.clientName,
        port: command.port,
        timeoutMs: effectiveTimeout,
        signal: io.signal,
        openBrowser: command.open ? undefined : false,
        onUrl(url) {
          say(io, `${SIGN_IN_URL_PREFIX}${url}`);
          // The redirect goes to 127.0.0.1 of this machine: a browser elsewhere cannot deliver it.
          if (remote) say(io, `This is ${remote}: the browser must run on this machine. Use nanogpt-login --device to approve from any browser.`);
          progress.start('Waiting for you to approve in the browser', Date.now() + effectiveTimeout);
        },
        onBrowser(outcome) {
          if (outcome.opened) progress.line('Opened your browser.');
          else if (command.open) progress.line(`Not opening a browser (${outcome.reason ?? 'unavailable'}); open the URL above yourself.`);
        },
      });
    }
  } finally {
    progress.stop();
  }

  const scopes = result.scope ?? 'not reported';
  if (command.print) {
    io.stdout.write(`NANOGPT_API_KEY=${result.key}\n`);
    say(io, `Signed in (key ${maskKey(result.key)}, scopes: ${scopes}); not stored because of --print.`);
    return 0;
  }
  if (command.envFile !== undefined) {
    const path = await writeKeyToEnvFile(command.envFile, result.key);
    say(io, `Signed in. Key ${maskKey(result.key)} (scopes: ${scopes}) written to ${path} (mode 0600); not stored elsewhere.`);
    return 0;
  }
  const path = await saveCredentials(
    { key: result.key, scope: result.scope, issuer, createdAt: new Date().toISOString(), flow },
    { env: io.env, profile: command.profile },
  );
  say(io, `Signed in. Key ${maskKey(result.key)} (scopes: ${scopes}) saved to ${path}`);
  return 0;
}
