import { displayHost } from '../oauth/redirect-uri.js';
import { isKnownScope, type Scope } from '../oauth/scopes.js';
import type { Account } from '../state.js';
import type { PendingConsent } from '../store/consents.js';
import { html, raw, type RawHtml } from './escape.js';
import { page } from './layout.js';

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'models.read': 'Read the model catalogue and prices',
  'api.use': 'Use the NanoGPT API on your account (can spend your balance)',
};

/** What the user typed into a refused consent form, shown again with the error. */
export interface ConsentFormEcho {
  error?: string | undefined;
  limit?: string | undefined;
  usageLimitType?: string | undefined;
}

const usd = (amount: number): string => `$${amount.toFixed(2)}`;

/** The consent page of a pending consent, for the signed-in test account. */
export function consentPage(consent: PendingConsent, account: Account, echo: ConsentFormEcho = {}): string {
  const scopes = consent.scope.split(' ').map(
    (scope) => html`<li><code>${scope}</code>${isKnownScope(scope) ? SCOPE_DESCRIPTIONS[scope] : scope}</li>`,
  );
  const period = echo.usageLimitType ?? 'monthly';
  const option = (value: string, label: string): RawHtml =>
    value === period ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
  const device = consent.flow === 'device';
  const destination = device
    ? html`<div class="row"><span>Device code</span><span>${consent.userCode ?? ''}</span></div>`
    : html`<div class="row"><span>Redirects to</span><span>${displayHost(consent.redirectUri)}</span></div>`;
  const body = html`
<h1>${consent.clientName} wants to use your NanoGPT account</h1>
<p class="muted">${device ? 'A command-line tool is asking for an API key.' : 'Review what this app is asking for before you continue.'}</p>
${echo.error ? html`<div class="error" role="alert">${echo.error}</div>` : raw('')}
<div class="row"><span>App</span><span>${consent.clientName}</span></div>
${destination}
<div class="row"><span>Signed in as</span><span>${account.email}</span></div>
<div class="row"><span>Balance</span><span>${usd(account.balanceUsd)}</span></div>
<p style="margin:14px 0 0;font-weight:600;font-size:14px">This app will be able to:</p>
<ul class="scopes">${scopes}</ul>
<div class="warning"><strong>Spend warning:</strong> requests made by this app are paid from your NanoGPT balance. The app receives an API key that stays valid until you revoke it in your NanoGPT settings. Set a spend cap below to limit it.</div>
<!-- Approve comes first: pressing Enter in the cap field submits the form's first button. -->
<form method="post" action="/consent">
<input type="hidden" name="consent_id" value="${consent.id}">
<input type="hidden" name="csrf_token" value="${consent.csrf}">
<fieldset>
<legend>Optional spend cap (USD)${device ? html` <span class="muted" data-mock-extra>(mock extra: NanoGPT's device page has no cap)</span>` : raw('')}</legend>
<div class="cap">
<label for="limit" class="muted">Limit</label>
<input id="limit" name="limit" type="number" min="0" step="0.01" inputmode="decimal" placeholder="No cap" value="${echo.limit ?? ''}">
<label for="usage_limit_type" class="muted">per</label>
<select id="usage_limit_type" name="usage_limit_type">${option('daily', 'day')}${option('weekly', 'week')}${option('monthly', 'month')}</select>
</div>
<p class="muted" style="margin:6px 0 0">$0 blocks paid usage; leave empty for no cap.</p>
</fieldset>
<div class="actions">
<button type="submit" name="decision" value="approve" class="primary">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</div>
</form>`;
  return page(`Authorize ${consent.clientName}`, body);
}

/** The server's own error page: never a redirect to an unvalidated URI. */
export function errorPage(error: string, description: string): string {
  return page(
    'Sign-in error',
    html`<h1>This sign-in request can't continue</h1>
<div class="error" role="alert"><strong data-error="${error}">${error}</strong>: <span data-error-description>${description}</span></div>
<p class="muted">Return to the app and start the sign-in again. If the problem persists, the app's sign-in link is misconfigured.</p>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, html`<h1>${title}</h1><p data-message>${message}</p>`);
}

export function deviceCodeEntryPage(error?: string): string {
  return page(
    'Connect a device',
    html`<h1>Connect a command-line tool</h1>
<p class="muted">Enter the code shown in your terminal.</p>
${error ? html`<div class="error" role="alert">${error}</div>` : raw('')}
<form method="get" action="/cli-login/verify">
<label for="code">Code</label>
<div class="cap"><input id="code" class="code-input" name="code" autocomplete="off" placeholder="XXXX-XXXX" required></div>
<div class="actions"><button type="submit" class="primary">Continue</button></div>
</form>`,
  );
}
