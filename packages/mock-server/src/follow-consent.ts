import type { UsageLimitType } from '@nanogpt-signin/core';
import { MockConsentError } from './errors.js';

export interface FollowConsentOptions {
  /** Default `'approve'`. */
  decision?: 'approve' | 'deny';
  /** Optional USD spend cap to enter on the consent form. */
  limit?: number;
  usageLimitType?: UsageLimitType;
  fetch?: typeof fetch;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const unescapeHtml = (text: string): string =>
  text.replace(/&(amp|lt|gt|quot|#39);/g, (entity, name: string) => ENTITIES[name] ?? entity);

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [, name, value] of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"/g)) {
    if (name !== undefined && value !== undefined) found[name.toLowerCase()] = unescapeHtml(value);
  }
  return found;
}

function errorFromPage(page: string): { error: string | undefined; description: string } | null {
  const error = /data-error="([^"]*)"/.exec(page)?.[1];
  const description = /<span data-error-description>([\s\S]*?)<\/span>/.exec(page)?.[1];
  const alert = /<div class="error" role="alert">([\s\S]*?)<\/div>/.exec(page)?.[1];
  if (error === undefined && alert === undefined) return null;
  return {
    error: error === undefined ? undefined : unescapeHtml(error),
    description: unescapeHtml((description ?? alert ?? '').replace(/<[^>]*>/g, '')).trim(),
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
    if (pageError !== null) throw new MockConsentError('error_page', pageError.description, first.status, pageError.error);
    throw new MockConsentError('no_consent_form', `No consent form at the authorization URL (HTTP ${first.status})`, first.status);
  }
  const formTag = /<form\b[^>]*method="post"[^>]*>/i.exec(firstText)?.[0] ?? '';
  const action = new URL(attributes(formTag).action ?? '', authorizationUrl);
  const body = new URLSearchParams();
  for (const [input] of firstText.matchAll(/<input\b[^>]*>/gi)) {
    const field = attributes(input);
    if (field.type === 'hidden' && field.name !== undefined) body.append(field.name, field.value ?? '');
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
  if (secondError !== null) throw new MockConsentError('error_page', secondError.description, second.status, secondError.error);
  throw new MockConsentError('unexpected_response', `The consent form answered HTTP ${second.status} without a redirect`, second.status);
}
