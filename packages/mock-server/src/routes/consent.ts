import { readParams } from '../http/body.js';
import { HttpError } from '../http/errors.js';
import { optionalAmount, optionalString } from '../http/params.js';
import { sendHtml, sendRedirect } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { csrfMatches, decideConsent } from '../oauth/consent.js';
import { parseSpendCap } from '../oauth/spend-cap.js';
import { consentPage, errorPage } from '../ui/pages.js';

/** POST /consent: the consent form's submission. Answers 303 to wherever the decision leads. */
export function registerConsent(router: Router): void {
  router.on('POST', '/consent', async ({ req, res, state }) => {
    const showError = (description: string) => sendHtml(res, 400, errorPage('invalid_request', description));
    let params;
    try {
      params = await readParams(req, ['form']);
    } catch (error) {
      if (error instanceof HttpError && error.status !== 413) return showError(error.message);
      throw error;
    }
    let consentId: string | undefined;
    let csrf: string | undefined;
    let decision: string | undefined;
    let limitText: string | undefined;
    let periodText: string | undefined;
    try {
      consentId = optionalString(params, 'consent_id');
      csrf = optionalString(params, 'csrf_token');
      decision = optionalString(params, 'decision');
      limitText = optionalString(params, 'limit');
      periodText = optionalString(params, 'usage_limit_type');
    } catch (error) {
      if (error instanceof HttpError) return showError(error.message);
      throw error;
    }
    const consent = consentId === undefined ? undefined : state.consents.find(consentId);
    if (consent === undefined) return showError('This sign-in request has expired or was already answered. Return to the app and start again.');
    if (csrf === undefined || !csrfMatches(consent, csrf)) return showError('The consent form is not valid for this sign-in request.');
    if (decision !== 'approve' && decision !== 'deny') return showError('Choose Approve or Deny.');
    if (decision === 'deny') return sendRedirect(res, 303, decideConsent(state, consent, { decision }));
    let limit: number | undefined;
    try {
      limit = optionalAmount(params, 'limit');
    } catch {
      return sendHtml(
        res,
        400,
        consentPage(consent, state.account, { error: 'The spend cap must be an amount in USD (0 or more), or empty for no cap.', limit: limitText ?? '', usageLimitType: periodText ?? '' }),
      );
    }
    const spendCap = parseSpendCap(limit, periodText, 'usage_limit_type');
    if (!spendCap.ok) {
      return sendHtml(res, 400, consentPage(consent, state.account, { error: 'The cap period must be daily, weekly or monthly.', limit: limitText ?? '' }));
    }
    sendRedirect(res, 303, decideConsent(state, consent, { decision, cap: spendCap.value }));
  });
}
