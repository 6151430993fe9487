/** The scopes NanoGPT knows, in the order the server reports them. */
export const SCOPES = ['models.read', 'api.use'] as const;
export type Scope = (typeof SCOPES)[number];
export const DEFAULT_SCOPE = 'api.use models.read';
/** Every scope, in the server's order: what device logins and test keys are granted. */
export const FULL_SCOPE = SCOPES.join(' ');

export function isKnownScope(scope: string): scope is Scope {
  return (SCOPES as readonly string[]).includes(scope);
}

export type ScopeResult = { ok: true; scope: string } | { ok: false; description: string };

/**
 * Validate a requested scope (missing = the default) and normalise it to the server's order.
 * Unknown scopes, an empty scope or a scope without `api.use` are `invalid_scope`.
 */
export function normaliseScope(requested: string | undefined): ScopeResult {
  const raw = requested ?? DEFAULT_SCOPE;
  const parts = raw.split(' ').filter((s) => s !== '');
  if (parts.length === 0) return { ok: false, description: 'scope is empty' };
  for (const part of parts) {
    if (!isKnownScope(part)) return { ok: false, description: `Unknown scope: ${part}` };
  }
  if (!parts.includes('api.use')) return { ok: false, description: 'scope must include api.use' };
  return { ok: true, scope: SCOPES.filter((s) => parts.includes(s)).join(' ') };
}
