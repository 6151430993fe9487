import { MockConsentError } from './errors.js';

export interface FollowConsentOptions {
  /** Default `'approve'`. */
  decision?: 'approve' | 'deny';
  /** Optional USD spend cap to enter on the consent form. */
  limit?: number;
  usageLimitType?: 'daily' | 'weekly' | 'monthly';
  fetch?: typeof fetch;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const unescape = (s: string): string => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e] ?? _);

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) attrs[m[1].toLowerCase()] = unescape(m[2]);
  }
  return attrs;
}

function errorFromPage(page: string): { error?: string; description: string } | null {
  const error = /data-error="([^"]*)"/.exec(page)?.[1];
  const description = /<span data-error-description>([\s\S]*?)<\/span>/.exec(page)?.[1];
  const alert = /<div class="error" role="alert">([\s\S]*?)<\/div>/.exec(page)?.[1];
  if (error === undefined && alert === undefined) return null;
  return {
    ...(error !== undefined ? { error: unescape(error) } : {}),
    description: unescape((description ?? alert ?? '').replace(/<[^>]*>/g, '')).trim(),
  };
}

/**
 * A browser-less user: GET the authorization URL, read the consent form, submit it with the
 * chosen decision (and optional spend cap), and return the Location the server redirects to,
 * without following it. A redirect straight from the GET (e.g. an `invalid_scope` error sent to
 * the app) is returned as is. An error page raises `MockConsentError`.
 */
export async function followConsent(authorizationUrl: string, options: FollowConsentOptions = {}): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const first = await doFetch(authorizationUrl, { redirect: 'manual' });
  const firstText = await first.text();
  const firstLocation = first.headers.get('location');
  if (first.status >= 300 && first.status < 400 && firstLocation !== null) {
    return new URL(firstLocation, authorizationUrl).href;
  }
  const pageError = errorFromPage(firstText);
  if (first.status !== 200 || !/<form\b[^>]*method="post"/i.test(firstText)) {
    if (pageError) throw new MockConsentError('error_page', pageError.description, first.status, pageError.error);
    throw new MockConsentError('no_consent_form', `No consent form at the authorization URL (HTTP ${first.status})`, first.status);
  }
  const formTag = /<form\b[^>]*method="post"[^>]*>/i.exec(firstText)?.[0] ?? '';
  const action = new URL(attributes(formTag).action ?? '', authorizationUrl);
  const body = new URLSearchParams();
  for (const m of firstText.matchAll(/<input\b[^>]*>/gi)) {
    const a = attributes(m[0]);
    if (a.type === 'hidden' && a.name !== undefined) body.append(a.name, a.value ?? '');
  }
  if (options.limit !== undefined) {
    body.append('limit', String(options.limit));
    body.append('usage_limit_type', options.usageLimitType ?? 'monthly');
  }
  body.append('decision', options.decision ?? 'approve');
  const second = await doFetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const secondText = await second.text();
  const location = second.headers.get('location');
  if (second.status === 303 && location !== null) return new URL(location, action).href;
  const secondError = errorFromPage(secondText);
  if (secondError) throw new MockConsentError('error_page', secondError.description, second.status, secondError.error);
  throw new MockConsentError('unexpected_response', `The consent form answered HTTP ${second.status} without a redirect`, second.status);
}
