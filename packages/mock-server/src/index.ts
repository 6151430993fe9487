export { startMockServer } from './server.js';
export type { MockServerOptions, MockServer } from './server.js';
export { followConsent } from './follow-consent.js';
export type { FollowConsentOptions } from './follow-consent.js';
export { MockServerError, MockConsentError } from './errors.js';
export type { MockServerErrorCode, MockConsentErrorCode } from './errors.js';
