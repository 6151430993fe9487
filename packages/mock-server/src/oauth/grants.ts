import { randomToken, newApiKey } from '../random.js';
import type { AuthorizationCode, Client, CodeFlow, KeyGrant, MockState } from '../state.js';
import type { KeyRecord } from '../store/keys.js';
import type { ValidRedirect } from './redirect-uri.js';

/**
 * The internal client behind a shortcut (/auth) or downstream-code flow: one per
 * callback URL + display name, created on first use and reused afterwards (spec §6).
 */
export function callbackClient(state: MockState, redirect: ValidRedirect, clientName: string): Client {
  const id = `${redirect.canonical}\n${clientName}`;
  let client = state.callbackClients.get(id);
  if (!client) {
    client = {
      clientId: `ngpt_callback_${randomToken(12)}`,
      clientName,
      redirectUris: [redirect.uri],
      canonicalRedirects: [redirect.canonical],
      kind: 'callback',
      metadata: {},
      createdAt: state.now(),
    };
    state.callbackClients.set(id, client);
  }
  return client;
}

export function issueCode(
  state: MockState,
  grant: KeyGrant,
  flow: CodeFlow,
  redirectCanonical: string,
  codeChallenge: string,
): AuthorizationCode {
  const record: AuthorizationCode = {
    ...grant,
    code: randomToken(32),
    flow,
    redirectCanonical,
    codeChallenge,
    expiresAt: state.now() + state.config.codeTtlMs,
  };
  state.codes.set(record.code, record);
  state.counters.codesIssued++;
  return record;
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
 * otherwise a freshly minted `sk-nano-<uuid>`. Keys with an expiry are never reused
 * (a new expiry forces a new key).
 */
export function keyForGrant(state: MockState, grant: KeyGrant, kind: 'oauth' | 'cli', name: string): KeyRecord {
  const now = state.now();
  const expiresAt = grant.keyExpiresAt ?? null;
  const id = expiresAt === null ? grantId(kind, grant) : null;
  if (id !== null) {
    const existing = state.keys.activeForGrant(id, now);
    if (existing) return existing;
  }
  state.counters.keysMinted++;
  return state.keys.add(
    {
      key: newApiKey(),
      name,
      kind,
      scope: grant.scope,
      allowedOrigins: grant.allowedOrigins,
      limit: grant.limit,
      usageLimitType: grant.usageLimitType,
      expiresAt,
      grant: id,
    },
    now,
  );
}
