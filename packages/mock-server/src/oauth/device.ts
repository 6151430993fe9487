import type { MockState } from '../state.js';
import type { DeviceLogin } from '../store/device-logins.js';
import type { SpendCap } from '../store/keys.js';
import { keyForGrant } from './grants.js';
import { FULL_SCOPE } from './scopes.js';

export const DEVICE_TTL_SECONDS = 600;
export const DEVICE_INTERVAL_SECONDS = 2;

/** Start a device login (counted in `deviceLoginsStarted`). */
export function startDeviceLogin(state: MockState, clientName: string): DeviceLogin {
  const login = state.deviceLogins.start(clientName);
  state.count('deviceLoginsStarted');
  return login;
}

/** The client a device login's key is granted to: one per client name (§9). */
export const deviceClientId = (clientName: string): string => `cli:${clientName}`;

/** Normalise what a person types: case-insensitive, dash optional. */
export function normaliseUserCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}

/** A live (unexpired) device login by user code, as a person typed it. */
export function findByUserCode(state: MockState, userCode: string): DeviceLogin | undefined {
  return state.deviceLogins.findByUserCode(normaliseUserCode(userCode));
}

/** Approve a pending device login: the key (reused per client name, §9) waits for the poll. */
export function approveDevice(state: MockState, userCode: string, cap: SpendCap = { limit: null, usageLimitType: null }): boolean {
  const login = findByUserCode(state, userCode);
  if (login === undefined || login.status !== 'pending') return false;
  const record = keyForGrant(
    state,
    {
      clientId: deviceClientId(login.clientName),
      clientName: login.clientName,
      scope: FULL_SCOPE,
      allowedOrigins: [],
      ...cap,
    },
    'cli',
    `CLI (${login.clientName})`,
  );
  login.status = 'approved';
  login.key = record.key;
  // Answered one way (page or control), the login closes its other pending consent pages.
  state.consents.closeDeviceConsents(login.userCode);
  return true;
}

export function denyDevice(state: MockState, userCode: string): boolean {
  const login = findByUserCode(state, userCode);
  if (login === undefined || login.status !== 'pending') return false;
  login.status = 'denied';
  state.consents.closeDeviceConsents(login.userCode);
  return true;
}

/** Hand an approved login's key to the poll, once: the login is then consumed and forgets the key. */
export function collectKey(login: DeviceLogin): string {
  const key = login.key ?? '';
  login.status = 'consumed';
  login.key = null;
  return key;
}

/** `key_revoked`: approved, but the key was revoked (or expired) before the poll fetched it (spec §10). */
export type DeviceStatus = DeviceLogin['status'] | 'expired' | 'key_revoked';

export function deviceStatus(state: MockState, login: DeviceLogin): DeviceStatus {
  if (login.status === 'consumed') return 'consumed';
  if (login.expiresAt <= state.now()) return 'expired';
  if (login.status === 'approved') {
    const record = login.key === null ? undefined : state.keys.get(login.key);
    if (record === undefined || !state.keys.isActive(record)) return 'key_revoked';
  }
  return login.status;
}
