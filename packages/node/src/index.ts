export { signInWithLoopback, DEFAULT_LOOPBACK_TIMEOUT_MS } from './loopback.js';
export type { LoopbackSignInOptions, SignInResult } from './loopback.js';
export { signInWithDevice } from './device.js';
export type { DeviceSignInOptions, DeviceSignInResult, DeviceCodeInfo } from './device.js';
export {
  createDownstreamKey,
  createDownstreamKeyCode,
  deliverDownstreamKeyCode,
  handOffDownstreamKey,
  receiveDownstreamKey,
  IN_PROCESS_REDIRECT_URI,
} from './downstream.js';
export type {
  DownstreamKeySettings,
  DownstreamKeyCodeOptions,
  DownstreamKeyCode,
  DownstreamKeyRequest,
  DownstreamKeyReceiver,
  ReceiveDownstreamKeyOptions,
  UsageLimitType,
} from './downstream.js';
export { loadCredentials, saveCredentials, deleteCredentials, credentialsPath, configDir } from './credentials.js';
export type { StoredCredentials, CredentialStoreOptions, CredentialFlow } from './credentials.js';
export { checkKey } from './key-check.js';
export type { KeyCheck } from './key-check.js';
export { NanoGptNodeError, isNanoGptNodeError } from './errors.js';
export type { NanoGptNodeErrorCode, NanoGptNodeOwnErrorCode } from './errors.js';
export type { OpenBrowser, BrowserOutcome } from './browser.js';
export { DEFAULT_ISSUER, DEFAULT_SCOPE } from './issuer.js';
