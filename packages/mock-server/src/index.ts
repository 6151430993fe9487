export { startMockServer } from './server.js';
export type { MockServerOptions, MockServer } from './server.js';
export { followConsent } from './follow-consent.js';
export type { FollowConsentOptions } from './follow-consent.js';
export { MockServerError, MockConsentError } from './errors.js';
export type { MockServerErrorCode, MockConsentErrorCode } from './errors.js';
export { MockControls, MockControlError } from './controls-client.js';
export type { MockControlsOptions, MockControlErrorCode } from './controls-client.js';
export type * from './controls-api.js';
export type { Counters, StoreSizes } from './state.js';
export type { ConsentFlow } from './store/consents.js';
export type { KeyInfo, KeyKind, KeyRestrictions, UsageLimitType } from './store/keys.js';
export type { DeviceStatus } from './oauth/device.js';
export type {
  UsageByDay,
  UsageByDayModel,
  UsageByModel,
  UsageGroupBy,
  UsageQuery,
  UsageReport,
  UsageScope,
  UsageTotals,
} from './api/usage-report.js';
export type { CatalogueModel, ModelPrice } from './api/catalogue.js';
export { CATALOGUE, DEFAULT_PRICE } from './api/catalogue.js';
