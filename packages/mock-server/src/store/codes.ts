import { randomToken } from '../random.js';
import { ExpiringStore } from './expiring.js';
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
export class CodeStore extends ExpiringStore<AuthorizationCode> {
  issue(grant: KeyGrant, binding: CodeBinding): AuthorizationCode {
    const record: AuthorizationCode = { ...grant, ...binding, code: randomToken(32), expiresAt: this.clock.now() + this.ttlMs };
    this.entries.set(record.code, record);
    return record;
  }

  /** Take a live code out of the store: codes are single use, so any attempt to redeem one consumes it. */
  take(code: string): AuthorizationCode | undefined {
    const record = this.entries.get(code, this.clock.now());
    if (record !== undefined) this.entries.delete(code);
    return record;
  }
}
