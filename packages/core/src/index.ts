/**
 * Sign in with NanoGPT: OAuth 2.0 authorization code + PKCE for browsers and Node >= 20.
 * This entry holds the shortcut flow (default); the standard flow is in `@nanogpt-signin/core/standard`.
 * @packageDocumentation
 */
export { apiError, readApiErrorCode } from './api-errors.js';
export { createNanoGptAuth } from './client.js';
export type { AuthState, NanoGptAuth, NanoGptAuthOptions, SignInOptions, TabSync } from './client.js';
export { DEFAULT_ISSUER, DEFAULT_SCOPE } from './defaults.js';
export { errorCodeFromOAuth, NanoGptAuthError } from './errors.js';
export type { NanoGptAuthErrorCode, NanoGptAuthErrorOptions } from './errors.js';
export type { Flow, FlowAuthorizeParams, FlowExchangeParams } from './flow.js';
export { parseRetryAfter, readCallback } from './http.js';
export type { SignInResult } from './http.js';
export { isLoopbackHost, normalizeIssuer } from './issuer.js';
export { isNanoGptKey, maskKey } from './key.js';
export { createCodeChallenge, createPkcePair, createState } from './pkce.js';
export type { PkcePair } from './pkce.js';
export { buildShortcutAuthorizationUrl, exchangeShortcutCode, shortcutFlow } from './shortcut.js';
export type { ShortcutAuthorizationParams, ShortcutExchangeParams } from './shortcut.js';
export type { Session } from './session.js';
export type { UsageLimitType } from './spend-cap.js';
export { memoryStorage } from './storage.js';
export type { StorageLike } from './storage.js';
export { tabSync } from './tabs.js';
export type { TabSyncOptions } from './tabs.js';
export { fetchUsage } from './usage.js';
export type { FetchUsageParams, Usage, UsageByDay, UsageByDayModel, UsageByModel, UsageCounters, UsageGroupBy, UsageOptions } from './usage.js';
