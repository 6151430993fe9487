import { newUserCode, randomToken } from '../random.js';
import type { DeviceLogin, MockState } from '../state.js';
import type { SpendCap } from '../store/keys.js';
import { keyForGrant } from './grants.js';

export const DEVICE_TTL_SECONDS = 600;
export const DEVICE_INTERVAL_SECONDS = 2;

export function startDeviceLogin(state: MockState, clientName: string): DeviceLogin {
  const now = state.now();
  let userCode = newUserCode();
  while (state.userCodes.has(userCode)) userCode = newUserCode();
  const login: DeviceLogin = {
    deviceCode: randomToken(32),
    userCode,
    clientName,
    status: 'pending',
    key: null,
    createdAt: now,
    expiresAt: now + state.config.deviceTtlMs,
  };
  state.deviceLogins.set(login.deviceCode, login);
  state.userCodes.set(userCode, login.deviceCode);
  state.counters.deviceLoginsStarted++;
  return login;
}

/** Normalise what a person types: case-insensitive, dash optional. */
export function normaliseUserCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}

/** A live (unexpired) device login by user code. */
export function findByUserCode(state: MockState, userCode: string): DeviceLogin | undefined {
  const deviceCode = state.userCodes.get(normaliseUserCode(userCode));
  return deviceCode === undefined ? undefined : state.deviceLogins.get(deviceCode, state.now());
}

/** Approve a pending device login: the key (reused per client name, §9) waits for the poll. */
export function approveDevice(
  state: MockState,
  userCode: string,
  cap: SpendCap = { limit: null, usageLimitType: null },
): boolean {
  const login = findByUserCode(state, userCode);
  if (!login || login.status !== 'pending') return false;
  const record = keyForGrant(
    state,
    {
      clientId: `cli:${login.clientName}`,
      clientName: login.clientName,
      scope: 'models.read api.use',
      allowedOrigins: [],
      ...cap,
    },
    'cli',
    `CLI (${login.clientName})`,
  );
  login.status = 'approved';
  login.key = record.key;
  dropConsents(state, login.userCode);
  return true;
}

/** A device login answered one way (page or control) closes its other pending consent pages. */
function dropConsents(state: MockState, userCode: string): void {
  for (const consent of state.consents.held()) {
    if (consent.flow === 'device' && consent.userCode === userCode) state.consents.delete(consent.id);
  }
}

export function denyDevice(state: MockState, userCode: string): boolean {
  const login = findByUserCode(state, userCode);
  if (!login || login.status !== 'pending') return false;
  login.status = 'denied';
  dropConsents(state, login.userCode);
  return true;
}

export type DeviceStatus = DeviceLogin['status'] | 'expired';

export function deviceStatus(state: MockState, login: DeviceLogin): DeviceStatus {
  if (login.status === 'consumed') return 'consumed';
  return login.expiresAt <= state.now() ? 'expired' : login.status;
}
