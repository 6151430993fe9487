import { describe, expect, it } from 'vitest';
import { signInWithDevice, type DeviceCodeInfo } from '../src/index.js';
import { deferred, firstReport, holdSleeps } from './helpers.js';
import { useMockServer } from './use-mock.js';

const mock = useMockServer();

/** A device login of `clientName` that polls only when the test wakes it. */
async function start(clientName: string) {
  const seen = deferred<DeviceCodeInfo>();
  const held = holdSleeps((ms) => mock.controls.advanceClock(ms / 1000));
  const result = signInWithDevice({ issuer: mock.url, clientName, onCode: seen.resolve, sleep: held.sleep });
  return { result, info: await firstReport(seen.promise, result), nextPoll: held.wake };
}

describe('device login whose key is revoked before it is fetched', { timeout: 30_000 }, () => {
  it('fails with device_key_revoked and says to run the login again', async () => {
    // The same client name reuses its key (spec §1): revoke the first login's key after approving the second.
    const first = await start('revoked test');
    await mock.controls.approveDevice(first.info.userCode);
    await first.nextPoll();
    const { key } = await first.result;
    const second = await start('revoked test');
    await mock.controls.approveDevice(second.info.userCode);
    await mock.controls.revokeKey(key);
    await second.nextPoll();
    await expect(second.result).rejects.toMatchObject({
      code: 'device_key_revoked',
      status: 410,
      message: 'The approved key was revoked before this login fetched it; run the login again.',
    });
  });
});
