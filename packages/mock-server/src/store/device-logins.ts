import type { Clock } from '../clock.js';
import { newUserCode, randomToken } from '../random.js';
import { ExpiringMap } from './expiring.js';

export interface DeviceLogin {
  deviceCode: string;
  userCode: string;
  clientName: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  key: string | null;
  createdAt: number;
  expiresAt: number;
}

/** Expired device logins are kept this long so a poll can still say "expired". */
const EXPIRED_KEPT_MS = 10 * 60_000;

/** Device logins by device code, and the user code a person types for each. */
export class DeviceLoginStore {
  private readonly byDeviceCode = new ExpiringMap<string, DeviceLogin>(EXPIRED_KEPT_MS);
  private readonly deviceCodeByUserCode = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** A new pending login with a fresh device code and a user code no held login uses. */
  start(clientName: string): DeviceLogin {
    const now = this.clock.now();
    let userCode = newUserCode();
    while (this.deviceCodeByUserCode.has(userCode)) userCode = newUserCode();
    const login: DeviceLogin = {
      deviceCode: randomToken(32),
      userCode,
      clientName,
      status: 'pending',
      key: null,
      createdAt: now,
      expiresAt: now + this.ttlMs,
    };
    this.byDeviceCode.set(login.deviceCode, login);
    this.deviceCodeByUserCode.set(userCode, login.deviceCode);
    return login;
  }

  /** A live (unexpired) login by its user code, exactly as issued. */
  findByUserCode(userCode: string): DeviceLogin | undefined {
    const deviceCode = this.deviceCodeByUserCode.get(userCode);
    return deviceCode === undefined ? undefined : this.byDeviceCode.get(deviceCode, this.clock.now());
  }

  /** A login by its device code, expired ones too while they are kept (so the poll can say so). */
  findByDeviceCode(deviceCode: string): DeviceLogin | undefined {
    return this.byDeviceCode.peek(deviceCode);
  }

  /** Every login still kept, expired ones included, oldest first. */
  held(): DeviceLogin[] {
    return this.byDeviceCode.held();
  }

  /** The newest live login still waiting for an answer. */
  newestPending(): DeviceLogin | undefined {
    return this.byDeviceCode
      .values(this.clock.now())
      .filter((login) => login.status === 'pending')
      .at(-1);
  }

  sweep(): void {
    this.byDeviceCode.sweep(this.clock.now());
    for (const [userCode, deviceCode] of this.deviceCodeByUserCode) {
      if (this.byDeviceCode.peek(deviceCode) === undefined) this.deviceCodeByUserCode.delete(userCode);
    }
  }

  get size(): number {
    return this.byDeviceCode.size;
  }

  clear(): void {
    this.byDeviceCode.clear();
    this.deviceCodeByUserCode.clear();
  }
}
