/**
 * Request and answer shapes of the /__mock/ test controls that have no other home: the control
 * routes build their answers with these types and the typed client (controls-client.ts) reads them.
 * Key views (`KeyInfo`), counters and store sizes live next to the state they describe.
 */
import type { UsageLimitType, UsageOptions } from '@nanogpt-signin/core';
import type { DeviceStatus } from './oauth/device.js';
import type { ConsentFlow } from './store/consents.js';
import type { KeyInfo, KeyKind } from './store/keys.js';

/** The answer of controls that only confirm (`{ ok: true }`). */
export interface ControlOk {
  ok: true;
}

/** Body of `POST /__mock/keys`. */
export interface CreateKeyOptions {
  label?: string;
  /** ISO 8601; a past time makes an already expired key. */
  expiresAt?: string;
  kind?: Extract<KeyKind, 'dashboard' | 'oauth'>;
  restrictions?: {
    limit?: number;
    usageLimitType?: UsageLimitType;
    requestLimit?: number;
    models?: string[];
    providers?: string[];
    /** Browser origins allowed to use the key; empty = any origin. */
    origins?: string[];
    redaction?: boolean;
  };
}

/** Answer of `POST /__mock/keys` (the only control that answers a key). */
export interface CreatedKey {
  id: string;
  key: string;
}

/** Answer of `POST /__mock/clock`. */
export interface ClockAnswer {
  /** The mock's time after the move, ISO 8601. */
  now: string;
}

/** A consent page waiting for a decision (`GET /__mock/pending`). */
export interface PendingConsentInfo {
  id: string;
  flow: ConsentFlow;
  clientName: string;
  redirectUri: string;
  scope: string;
  /** Device-flow consents only. */
  userCode?: string;
}

/** A device login the mock still holds (`GET /__mock/pending`); never its device code. */
export interface PendingDeviceLogin {
  userCode: string;
  clientName: string;
  status: DeviceStatus;
}

/** Answer of `GET /__mock/pending`. */
export interface PendingInfo {
  consents: PendingConsentInfo[];
  deviceLogins: PendingDeviceLogin[];
}

/** Body of `POST /__mock/consents/approve`; without `id`, the newest pending consent. */
export interface ApproveConsentOptions {
  id?: string;
  limit?: number;
  usageLimitType?: UsageLimitType;
}

/** Answer of `POST /__mock/consents/approve` and `/deny`. */
export interface ConsentDecision {
  /** Where the browser would be redirected (the app's callback, with code or error). */
  location: string;
}

/** Answer of `GET /__mock/keys`. */
export interface KeyList {
  keys: KeyInfo[];
}

/** Answer of `GET` and `POST /__mock/balance` (the body of the POST too). */
export interface Balance {
  /** The test account's balance in USD: priced completions take their cost off it. */
  balanceUsd: number;
}

/** Body of `POST /__mock/keys/usage` (besides `key`): core's options of `GET /api/v1/usage` (range, grouping). */
export type KeyUsageOptions = UsageOptions;
