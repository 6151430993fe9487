import { maskKey } from '@nanogpt-signin/core';
import { tryOpenBrowser } from '../browser.js';
import { saveCredentials, type CredentialFlow } from '../credentials.js';
import { signInWithDevice, type DeviceSignInResult } from '../device.js';
import { DEFAULT_LOOPBACK_TIMEOUT_MS, SIGN_IN_URL_PREFIX } from '../defaults.js';
import { signInWithLoopback } from '../loopback.js';
import type { Command } from './args.js';
import { commandIssuer, say, type CliIo } from './io.js';
import { createProgress } from './progress.js';

type LoginCommand = Extract<Command, { kind: 'login' }>;

export async function login(command: LoginCommand, io: CliIo): Promise<number> {
  const issuer = commandIssuer(command.issuer, io);
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
          say(io, `${SIGN_IN_URL_PREFIX}${info.verificationUriComplete}`);
          say(io, `Check that the page shows the code: ${info.userCode}`);
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
  const path = await saveCredentials(
    { key: result.key, scope: result.scope, issuer, createdAt: new Date().toISOString(), flow },
    { env: io.env },
  );
  say(io, `Signed in. Key ${maskKey(result.key)} (scopes: ${scopes}) saved to ${path}`);
  return 0;
}
