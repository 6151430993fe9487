import { timingSafeEqual } from 'node:crypto';
import type { MockState } from '../state.js';
import type { PendingConsent } from '../store/consents.js';
import type { SpendCap } from '../store/keys.js';
import { approveDevice, denyDevice } from './device.js';
import { issueCode } from './grants.js';
import { withQuery } from './redirect-uri.js';

/** Consent screens stay open this long before the request must be restarted. */
export const CONSENT_TTL_MS = 10 * 60_000;

/** Constant-time check of the form's CSRF token against the consent's. */
export function csrfMatches(consent: PendingConsent, token: string): boolean {
  const expected = Buffer.from(consent.csrf);
  const actual = Buffer.from(token);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The user's answer to a consent; an approval carries the spend cap they set (or none). */
export type Decision = { decision: 'deny' } | { decision: 'approve'; cap: SpendCap };

/**
 * Apply the user's decision to a pending consent (consumes it) and return where the browser
 * goes next: the app's redirect URI with `code` + `state` or `error=access_denied` + `state`,
 * or, for a device login, the server's "you can close this tab" page.
 */
export function decideConsent(state: MockState, consent: PendingConsent, decision: Decision): string {
  state.consents.close(consent.id);
  if (consent.flow === 'device') {
    const userCode = consent.userCode ?? '';
    if (decision.decision === 'deny') {
      denyDevice(state, userCode);
      return `${state.issuer}/cli-login/done?result=denied`;
    }
    const approved = approveDevice(state, userCode, decision.cap);
    return `${state.issuer}/cli-login/done?result=${approved ? 'approved' : 'expired'}`;
  }
  if (decision.decision === 'deny') {
    return withQuery(consent.redirectUri, { error: 'access_denied', error_description: 'The user denied the request', state: consent.state });
  }
  const code = issueCode(
    state,
    {
      clientId: consent.clientId,
      clientName: consent.clientName,
      scope: consent.scope,
      allowedOrigins: consent.allowedOrigins,
      ...decision.cap,
    },
    { flow: consent.flow, redirectCanonical: consent.redirectCanonical, codeChallenge: consent.codeChallenge },
  );
  return withQuery(consent.redirectUri, { code: code.code, state: consent.state });
}
