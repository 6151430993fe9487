import { timingSafeEqual } from 'node:crypto';
import { randomToken } from '../random.js';
import type { MockState, PendingConsent } from '../state.js';
import type { SpendCap } from '../store/keys.js';
import { issueCode } from './grants.js';
import { withQuery } from './redirect-uri.js';
import { approveDevice, denyDevice } from './device.js';

/** Consent screens stay open this long before the request must be restarted. */
export const CONSENT_TTL_MS = 10 * 60_000;

export type NewConsent = Omit<PendingConsent, 'id' | 'csrf' | 'createdAt' | 'expiresAt'>;

export function createConsent(state: MockState, input: NewConsent): PendingConsent {
  const now = state.now();
  const consent: PendingConsent = {
    ...input,
    id: `consent_${randomToken(12)}`,
    csrf: randomToken(24),
    createdAt: now,
    expiresAt: now + state.config.consentTtlMs,
  };
  state.consents.set(consent.id, consent);
  return consent;
}

export function csrfMatches(consent: PendingConsent, token: string): boolean {
  const a = Buffer.from(consent.csrf);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The user's answer to a consent; an approval carries the spend cap they set (or none). */
export type Decision = { decision: 'deny' } | { decision: 'approve'; cap: SpendCap };

/**
 * Apply the user's decision to a pending consent (consumes it) and return where the browser
 * goes next: the app's redirect URI with `code` + `state` or `error=access_denied` + `state`,
 * or, for a device login, the server's "you can close this tab" page.
 */
export function decideConsent(state: MockState, consent: PendingConsent, decision: Decision): string {
  state.consents.delete(consent.id);
  if (consent.flow === 'device') {
    const userCode = consent.userCode ?? '';
    if (decision.decision === 'deny') {
      denyDevice(state, userCode);
      return `${state.issuer}/cli-login/done?result=denied`;
    }
    const ok = approveDevice(state, userCode, decision.cap);
    return `${state.issuer}/cli-login/done?result=${ok ? 'approved' : 'expired'}`;
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
    consent.flow,
    consent.redirectCanonical,
    consent.codeChallenge,
  );
  return withQuery(consent.redirectUri, { code: code.code, state: consent.state });
}

