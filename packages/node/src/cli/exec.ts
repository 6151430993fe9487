import { loadCredentials } from '../credentials.js';
import { DEFAULT_CLIENT_NAME, DEFAULT_LOOPBACK_TIMEOUT_MS, SIGN_IN_URL_PREFIX } from '../defaults.js';
import { getKey, type SignInPrompt } from '../get-key.js';
import type { Command } from './args.js';
import { childEnvironment, runChild, type ChildExit } from './child.js';
import { commandIssuer, namedIssuer, say, showDeviceCode, type CliIo } from './io.js';
import { createProgress } from './progress.js';

/**
 * `exec -- <command>`: the stored key of the profile (checked with /api/v1/usage; a sign-in first
 * when there is none or it was revoked), handed to the command only through its environment.
 */
export async function exec(command: Extract<Command, { kind: 'exec' }>, io: CliIo): Promise<ChildExit> {
  // Without --issuer / $NANOGPT_ISSUER: the issuer that holds the profile's key, as status does.
  const issuer = namedIssuer(command.issuer, io) ?? (await loadCredentials({ env: io.env, profile: command.profile }))?.issuer ?? commandIssuer(undefined, io);
  const progress = createProgress(io.stderr);
  const onPrompt = (prompt: SignInPrompt): void => {
    if (prompt.transport === 'device') {
      showDeviceCode(io, prompt.url, prompt.userCode);
      progress.start('Waiting for you to approve the code', Date.now() + prompt.expiresIn * 1000);
    } else {
      say(io, `${SIGN_IN_URL_PREFIX}${prompt.url}`);
      if (prompt.browserOpened) say(io, 'Opened your browser.');
      progress.start('Waiting for you to approve in the browser', Date.now() + DEFAULT_LOOPBACK_TIMEOUT_MS);
    }
  };
  let key: string;
  try {
    key = await getKey({
      clientName: command.clientName ?? DEFAULT_CLIENT_NAME,
      issuer,
      profile: command.profile,
      transport: command.device ? 'device' : undefined,
      openBrowser: command.open ? undefined : false,
      signal: io.signal,
      env: io.env,
      onPrompt,
    });
  } finally {
    progress.stop();
  }
  return runChild(command.run, childEnvironment(io.env, key, issuer), io);
}
