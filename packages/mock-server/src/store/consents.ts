import { randomToken } from '../random.js';
import { ExpiringStore } from './expiring.js';

/** The sign-in flow a consent screen belongs to (not the core's `Flow`, which is a client's strategy object). */
export type ConsentFlow = 'authorize' | 'shortcut' | 'device';

export interface PendingConsent {
  id: string;
  csrf: string;
  flow: ConsentFlow;
  clientId: string;
  clientName: string;
  redirectUri: string;
  redirectCanonical: string;
  allowedOrigins: string[];
  scope: string;
  state: string | undefined;
  codeChallenge: string;
  userCode: string | undefined;
  createdAt: number;
  expiresAt: number;
}

export type NewConsent = Omit<PendingConsent, 'id' | 'csrf' | 'createdAt' | 'expiresAt'>;

/** Consent screens waiting for the user's decision, each open for `ttlMs`. */
export class ConsentStore extends ExpiringStore<PendingConsent> {
  /** A new pending consent with its own id and CSRF token. */
  open(input: NewConsent): PendingConsent {
    const now = this.clock.now();
    const consent: PendingConsent = {
      ...input,
      id: `consent_${randomToken(12)}`,
      csrf: randomToken(24),
      createdAt: now,
      expiresAt: now + this.ttlMs,
    };
    this.entries.set(consent.id, consent);
    return consent;
  }

  /** A consent that is still open. */
  find(id: string): PendingConsent | undefined {
    return this.entries.get(id, this.clock.now());
  }

  /** Open consents, oldest first. */
  pending(): PendingConsent[] {
    return this.entries.values(this.clock.now());
  }

  close(id: string): void {
    this.entries.delete(id);
  }

  /** Close every consent page of one device login (it was answered on another page or by a control). */
  closeDeviceConsents(userCode: string): void {
    for (const consent of this.entries.held()) {
      if (consent.flow === 'device' && consent.userCode === userCode) this.entries.delete(consent.id);
    }
  }
}
