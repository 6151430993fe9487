import type { IncomingMessage } from 'node:http';
import { readParams } from '../http/body.js';
import { FormDecodeError, parseForm } from '../http/form.js';
import { HttpError, invalidRequest, tooManyRequests } from '../http/errors.js';
import { firstNonBlank, optionalString, rejectRepeated } from '../http/params.js';
import { NO_STORE, sendHtml, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import {
  collectKey,
  DEVICE_INTERVAL_SECONDS,
  deviceClientId,
  deviceStatus,
  findByUserCode,
  normaliseUserCode,
  startDeviceLogin,
} from '../oauth/device.js';
import { FULL_SCOPE } from '../oauth/scopes.js';
import type { MockState } from '../state.js';
import { consentPage, deviceCodeEntryPage, errorPage, messagePage } from '../ui/pages.js';

/** Per-IP limits of spec §10 (start 10/min, poll 60/min): 429 `rate_limited`; null disables. */
function limitIp(state: MockState, req: IncomingMessage, bucket: string, perMinute: number | null): void {
  if (perMinute === null) return;
  const ip = req.socket.remoteAddress ?? 'unknown';
  const wait = state.ipLimiter.hit(`${bucket}:${ip}`, perMinute, state.now());
  if (wait !== null) throw tooManyRequests(`Too many ${bucket} requests; slow down`, wait, 'rate_limited');
}

export function registerDevice(router: Router): void {
  router.on('POST', '/api/cli-login/start', async ({ req, res, state }) => {
    limitIp(state, req, 'cli-login start', state.config.deviceStartPerMinute);
    const params = await readParams(req, ['json', 'form']);
    rejectRepeated(params);
    const name = firstNonBlank(params, ['client_name']);
    if (name !== undefined && name.length > 64) throw invalidRequest('client_name must be at most 64 characters');
    const login = startDeviceLogin(state, name ?? 'Command-line tool');
    sendJson(
      res,
      200,
      {
        device_code: login.deviceCode,
        user_code: login.userCode,
        verification_uri: `${state.issuer}/cli-login/verify`,
        verification_uri_complete: `${state.issuer}/cli-login/verify?code=${login.userCode}`,
        expires_in: Math.round(state.config.deviceTtlMs / 1000),
        interval: DEVICE_INTERVAL_SECONDS,
      },
      NO_STORE,
    );
  });

  router.on('POST', '/api/cli-login/poll', async ({ req, res, state }) => {
    limitIp(state, req, 'cli-login poll', state.config.devicePollPerMinute);
    const params = await readParams(req, ['json', 'form']);
    rejectRepeated(params);
    const deviceCode = optionalString(params, 'device_code');
    if (deviceCode === undefined) throw invalidRequest('device_code is required');
    const login = state.deviceLogins.findByDeviceCode(deviceCode);
    if (login === undefined) return sendJson(res, 404, { error: 'invalid_code', error_description: 'Unknown device code' }, NO_STORE);
    switch (deviceStatus(state, login)) {
      case 'pending':
        return sendJson(res, 202, { status: 'authorization_pending' }, NO_STORE);
      case 'expired':
        return sendJson(res, 410, { status: 'expired' }, NO_STORE);
      case 'consumed':
        return sendJson(res, 409, { status: 'consumed' }, NO_STORE);
      case 'key_revoked':
        // Status code unpublished [mock]; a client restarts the login.
        return sendJson(res, 410, { status: 'key_revoked' }, NO_STORE);
      case 'denied':
        return sendJson(res, 403, { status: 'denied', error: 'access_denied' }, NO_STORE);
      case 'approved':
        return sendJson(res, 200, { status: 'approved', key: collectKey(login) }, NO_STORE);
    }
  });

  router.on('GET', '/cli-login/verify', ({ res, state, query }) => {
    let code: string | undefined;
    try {
      code = optionalString({ kind: 'form', values: parseForm(query) }, 'code');
    } catch (error) {
      if (error instanceof HttpError || error instanceof FormDecodeError) {
        return sendHtml(res, 400, errorPage('invalid_request', error.message));
      }
      throw error;
    }
    if (code === undefined) return sendHtml(res, 200, deviceCodeEntryPage());
    const login = findByUserCode(state, code);
    if (login === undefined || login.status !== 'pending') {
      return sendHtml(res, 400, deviceCodeEntryPage('That code is unknown, expired or already used. Check the code in your terminal.'));
    }
    const consent = state.consents.open({
      flow: 'device',
      clientId: deviceClientId(login.clientName),
      clientName: login.clientName,
      redirectUri: '',
      redirectCanonical: '',
      allowedOrigins: [],
      scope: FULL_SCOPE,
      state: undefined,
      codeChallenge: '',
      userCode: normaliseUserCode(code),
    });
    sendHtml(res, 200, consentPage(consent, state.account));
  });

  router.on('GET', '/cli-login/done', ({ res, query }) => {
    const denied = query.includes('result=denied');
    const expired = query.includes('result=expired');
    const title = denied ? 'Login denied' : expired ? 'Login expired' : 'Device connected';
    const text = denied
      ? 'You denied the login request. You can close this tab.'
      : expired
        ? 'This login request expired. Start again in your terminal. You can close this tab.'
        : 'Your command-line tool is now signed in. You can close this tab.';
    sendHtml(res, 200, messagePage(title, text));
  });
}
