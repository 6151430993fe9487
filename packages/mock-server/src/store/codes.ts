import type { Clock } from '../clock.js';
import { randomToken } from '../random.js';
import { ExpiringMap } from './expiring.js';
import type { KeyGrant } from './keys.js';

/** The flow that issued an authorization code; each token endpoint redeems only its own. */
export type CodeFlow = 'authorize' | 'shortcut' | 'downstream';

export interface AuthorizationCode extends KeyGrant {
  code: string;
  flow: CodeFlow;
  redirectCanonical: string;
  codeChallenge: string;
  expiresAt: number;
}

/** What a code is bound to besides its grant: checked when it is redeemed. */
export type CodeBinding = Pick<AuthorizationCode, 'flow' | 'redirectCanonical' | 'codeChallenge'>;

/** Authorization codes waiting to be redeemed, each for `ttlMs`. */
export class CodeStore {
  private readonly codes = new ExpiringMap<string, AuthorizationCode>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  issue(grant: KeyGrant, binding: CodeBinding): AuthorizationCode {
    const record: AuthorizationCode = { ...grant, ...binding, code: randomToken(32), expiresAt: this.clock.now() + this.ttlMs };
    this.codes.set(record.code, record);
    return record;
  }

  /** Take a live code out of the store: codes are single use, so any attempt to redeem one consumes it. */
  take(code: string): AuthorizationCode | undefined {
    const record = this.codes.get(code, this.clock.now());
    if (record !== undefined) this.codes.delete(code);
    return record;
  }

  sweep(): void {
    this.codes.sweep(this.clock.now());
  }

  get size(): number {
    return this.codes.size;
  }

  clear(): void {
    this.codes.clear();
  }
}
