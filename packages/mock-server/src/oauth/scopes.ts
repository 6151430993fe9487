import { DEFAULT_SCOPE } from '@nanogpt-signin/core';

/** The scopes NanoGPT knows, in the order the server reports them. */
export const SCOPES = ['models.read', 'api.use'] as const;
export type Scope = (typeof SCOPES)[number];
/** Every scope, in the server's order: granted when a request names none, and to device logins and test keys. */
export const FULL_SCOPE = SCOPES.join(' ');

export function isKnownScope(scope: string): scope is Scope {
  return (SCOPES as readonly string[]).includes(scope);
}

export type ScopeResult = { ok: true; scope: string } | { ok: false; description: string };

/**
 * Validate a requested scope (missing = core's `DEFAULT_SCOPE`, spec §7) and normalise it to the server's order.
 * Unknown scopes, an empty scope or a scope without `api.use` are `invalid_scope`.
 */
export function normaliseScope(requested: string | undefined): ScopeResult {
  const parts = (requested ?? DEFAULT_SCOPE).split(' ').filter((part) => part !== '');
  if (parts.length === 0) return { ok: false, description: 'scope is empty' };
  for (const part of parts) {
    if (!isKnownScope(part)) return { ok: false, description: `Unknown scope: ${part}` };
  }
  if (!parts.includes('api.use')) return { ok: false, description: 'scope must include api.use' };
  return { ok: true, scope: SCOPES.filter((scope) => parts.includes(scope)).join(' ') };
}
