import type { Clock } from '../clock.js';
import { newUserCode, randomToken } from '../random.js';
import { ExpiringStore } from './expiring.js';

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

/** Device logins by device code (the entries), and the user code a person types for each. */
export class DeviceLoginStore extends ExpiringStore<DeviceLogin> {
  private readonly deviceCodeByUserCode = new Map<string, string>();

  constructor(clock: Clock, ttlMs: number, maxEntries: number) {
    super(clock, ttlMs, maxEntries, EXPIRED_KEPT_MS);
  }

  protected override evicted(login: DeviceLogin): void {
    this.deviceCodeByUserCode.delete(login.userCode);
  }

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
    this.entries.set(login.deviceCode, login);
    this.deviceCodeByUserCode.set(userCode, login.deviceCode);
    return login;
  }

  /** A live (unexpired) login by its user code, exactly as issued. */
  findByUserCode(userCode: string): DeviceLogin | undefined {
    const deviceCode = this.deviceCodeByUserCode.get(userCode);
    return deviceCode === undefined ? undefined : this.entries.get(deviceCode, this.clock.now());
  }

  /** A login by its device code, expired ones too while they are kept (so the poll can say so). */
  findByDeviceCode(deviceCode: string): DeviceLogin | undefined {
    return this.entries.peek(deviceCode);
  }

  /** The newest live login still waiting for an answer. */
  newestPending(): DeviceLogin | undefined {
    return this.entries
      .values(this.clock.now())
      .filter((login) => login.status === 'pending')
      .at(-1);
  }

  override sweep(): void {
    super.sweep();
    for (const [userCode, deviceCode] of this.deviceCodeByUserCode) {
      if (this.entries.peek(deviceCode) === undefined) this.deviceCodeByUserCode.delete(userCode);
    }
  }

  override clear(): void {
    super.clear();
    this.deviceCodeByUserCode.clear();
  }
}
