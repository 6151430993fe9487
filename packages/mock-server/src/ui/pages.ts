import { html, raw, type RawHtml } from './escape.js';
import { page } from './layout.js';
import { SCOPE_DESCRIPTIONS } from '../oauth/scopes.js';
import type { ConsentFlow } from '../state.js';

export interface ConsentView {
  consentId: string;
  csrf: string;
  clientName: string;
  /** Where the user goes afterwards (host), or a description for device logins. */
  destination: string;
  flow: ConsentFlow;
  accountEmail: string;
  balanceUsd: number;
  scope: string;
  userCode?: string | undefined;
  error?: string | undefined;
  limit?: string | undefined;
  usageLimitType?: string | undefined;
}

const usd = (n: number): string => `$${n.toFixed(2)}`;

export function consentPage(view: ConsentView): string {
  const scopes = view.scope.split(' ').map(
    (s) => html`<li><code>${s}</code>${SCOPE_DESCRIPTIONS[s] ?? s}</li>`,
  );
  const period = view.usageLimitType ?? 'monthly';
  const option = (value: string, label: string): RawHtml =>
    value === period ? html`<option value="${value}" selected>${label}</option>` : html`<option value="${value}">${label}</option>`;
  const destination =
    view.flow === 'device'
      ? html`<div class="row"><span>Device code</span><span>${view.userCode ?? ''}</span></div>`
      : html`<div class="row"><span>Redirects to</span><span>${view.destination}</span></div>`;
  const body = html`
<h1>${view.clientName} wants to use your NanoGPT account</h1>
<p class="muted">${view.flow === 'device' ? 'A command-line tool is asking for an API key.' : 'Review what this app is asking for before you continue.'}</p>
${view.error ? html`<div class="error" role="alert">${view.error}</div>` : raw('')}
<div class="row"><span>App</span><span>${view.clientName}</span></div>
${destination}
<div class="row"><span>Signed in as</span><span>${view.accountEmail}</span></div>
<div class="row"><span>Balance</span><span>${usd(view.balanceUsd)}</span></div>
<p style="margin:14px 0 0;font-weight:600;font-size:14px">This app will be able to:</p>
<ul class="scopes">${scopes}</ul>
<div class="warning"><strong>Spend warning:</strong> requests made by this app are paid from your NanoGPT balance. The app receives an API key that stays valid until you revoke it in your NanoGPT settings. Set a spend cap below to limit it.</div>
<!-- Approve comes first: pressing Enter in the cap field submits the form's first button. -->
<form method="post" action="/consent">
<input type="hidden" name="consent_id" value="${view.consentId}">
<input type="hidden" name="csrf_token" value="${view.csrf}">
<fieldset>
<legend>Optional spend cap (USD)</legend>
<div class="cap">
<label for="limit" class="muted">Limit</label>
<input id="limit" name="limit" type="number" min="0" step="0.01" inputmode="decimal" placeholder="No cap" value="${view.limit ?? ''}">
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
  return page(`Authorize ${view.clientName}`, body);
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
