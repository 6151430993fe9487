import { newApiKey } from '../random.js';
import type { MockState } from '../state.js';
import type { AuthorizationCode, CodeBinding } from '../store/codes.js';
import type { KeyGrant, KeyRecord } from '../store/keys.js';

/** Issue an authorization code for an approved grant (counted in `codesIssued`). */
export function issueCode(state: MockState, grant: KeyGrant, binding: CodeBinding): AuthorizationCode {
  const code = state.codes.issue(grant, binding);
  state.count('codesIssued');
  return code;
}

/** Identity of a grant for key reuse: same client and unchanged settings reuse the key (§10). */
function grantId(kind: string, grant: KeyGrant): string {
  return JSON.stringify([
    kind,
    grant.clientId,
    grant.scope,
    grant.allowedOrigins,
    grant.limit,
    grant.usageLimitType,
    grant.keyLabel ?? null,
    grant.sourceKeyId ?? null,
  ]);
}

/**
 * The key for an approved grant: the active key of the same grant when nothing changed,
 * otherwise a freshly minted `sk-nano-<uuid>` (counted in `keysMinted`). Keys with an expiry are
 * never reused (a new expiry forces a new key).
 */
export function keyForGrant(state: MockState, grant: KeyGrant, kind: 'oauth' | 'cli', name: string): KeyRecord {
  const expiresAt = grant.keyExpiresAt ?? null;
  const id = expiresAt === null ? grantId(kind, grant) : null;
  if (id !== null) {
    const existing = state.keys.activeForGrant(id);
    if (existing !== undefined) return existing;
  }
  state.count('keysMinted');
  return state.keys.add({
    key: newApiKey(),
    name,
    kind,
    scope: grant.scope,
    allowedOrigins: grant.allowedOrigins,
    limit: grant.limit,
    usageLimitType: grant.usageLimitType,
    expiresAt,
    grant: id,
    clientId: grant.clientId,
  });
}
