import type { Clock } from './clock.js';
import { ExpiringMap } from './store/expiring.js';
import { KeyStore, NO_RESTRICTIONS, type SpendCap } from './store/keys.js';
import { RateLimiter } from './store/rate-limit.js';

export interface Account {
  id: string;
  email: string;
  balanceUsd: number;
}

export interface Client {
  clientId: string;
  clientName: string;
  /** Registered redirect URIs, as sent, and their canonical comparison forms. */
  redirectUris: string[];
  canonicalRedirects: string[];
  kind: 'registered' | 'callback';
  metadata: Record<string, unknown>;
  createdAt: number;
}

/** The sign-in flow a consent screen belongs to (not the core's `Flow`, which is a client's strategy object). */
export type ConsentFlow = 'authorize' | 'shortcut' | 'device';

/** The flow that issued an authorization code; each token endpoint redeems only its own. */
export type CodeFlow = 'authorize' | 'shortcut' | 'downstream';

/** Everything needed to mint a key once a code is redeemed. */
export interface KeyGrant extends SpendCap {
  clientId: string;
  clientName: string;
  scope: string;
  allowedOrigins: string[];
  /** Downstream codes only. */
  keyLabel?: string | undefined;
  keyExpiresAt?: number | null | undefined;
  sourceKeyId?: string | undefined;
}

export interface AuthorizationCode extends KeyGrant {
  code: string;
  flow: CodeFlow;
  redirectCanonical: string;
  codeChallenge: string;
  expiresAt: number;
}

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

export interface DeviceLogin {
  deviceCode: string;
  userCode: string;
  clientName: string;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  key: string | null;
  createdAt: number;
  expiresAt: number;
}

/** What `GET /__mock/counters` answers. */
export interface Counters {
  codesIssued: number;
  codesRedeemed: number;
  tokenRequests: number;
  keysMinted: number;
  deviceLoginsStarted: number;
  apiRequests: number;
}

/** How many entries each store holds: what `GET /__mock/stats` answers. */
export interface StoreSizes {
  codes: number;
  consents: number;
  deviceLogins: number;
  clients: number;
  callbackClients: number;
  keys: number;
}

export interface StateConfig {
  codeTtlMs: number;
  consentTtlMs: number;
  deviceTtlMs: number;
  legacyKeys: string[];
  rateLimitPerSecond: number | null;
  account: Account;
  deviceStartPerMinute: number | null;
  devicePollPerMinute: number | null;
}

const newCounters = (): Counters => ({
  codesIssued: 0,
  codesRedeemed: 0,
  tokenRequests: 0,
  keysMinted: 0,
  deviceLoginsStarted: 0,
  apiRequests: 0,
});

/** All mutable state of one mock server. */
export class MockState {
  issuer = '';
  readonly keys = new KeyStore();
  readonly clients = new Map<string, Client>();
  /** Internal shortcut/downstream clients, by callback URL + display name. */
  readonly callbackClients = new Map<string, Client>();
  readonly codes = new ExpiringMap<string, AuthorizationCode>();
  readonly consents = new ExpiringMap<string, PendingConsent>();
  /** Expired device logins are kept 10 minutes so a poll can still say "expired". */
  readonly deviceLogins = new ExpiringMap<string, DeviceLogin>(10 * 60_000);
  readonly userCodes = new Map<string, string>();
  readonly apiLimiter = new RateLimiter(1000);
  readonly ipLimiter = new RateLimiter(60_000);
  /** Per-key daily request caps (`restrictions.requestLimit`), UTC days. */
  readonly dailyLimiter = new RateLimiter(86_400_000);
  counters: Counters = newCounters();
  rateLimitPerSecond: number | null;

  constructor(
    readonly config: StateConfig,
    readonly clock: Clock,
  ) {
    this.rateLimitPerSecond = config.rateLimitPerSecond;
    this.seed();
  }

  private seed(): void {
    for (const legacy of this.config.legacyKeys) {
      this.keys.add(
        {
          key: legacy,
          name: 'Legacy key',
          kind: 'dashboard',
          scope: 'models.read api.use',
          allowedOrigins: [],
          limit: null,
          usageLimitType: null,
          expiresAt: null,
          restrictions: { ...NO_RESTRICTIONS },
        },
        this.clock.now(),
      );
    }
  }

  now(): number {
    return this.clock.now();
  }

  /** Drop expired codes, consents, device logins and rate-limit windows. */
  sweep(): void {
    const now = this.now();
    this.codes.sweep(now);
    this.consents.sweep(now);
    this.deviceLogins.sweep(now);
    for (const [userCode, deviceCode] of this.userCodes) {
      if (this.deviceLogins.peek(deviceCode) === undefined) this.userCodes.delete(userCode);
    }
    this.apiLimiter.sweep(now);
    this.ipLimiter.sweep(now);
    this.dailyLimiter.sweep(now);
  }

  /** How many entries each store holds (to show that sweeping keeps memory flat). */
  sizes(): StoreSizes {
    return {
      codes: this.codes.size,
      consents: this.consents.size,
      deviceLogins: this.deviceLogins.size,
      clients: this.clients.size,
      callbackClients: this.callbackClients.size,
      keys: this.keys.all().length,
    };
  }

  reset(): void {
    this.keys.clear();
    this.clients.clear();
    this.callbackClients.clear();
    this.codes.clear();
    this.consents.clear();
    this.deviceLogins.clear();
    this.userCodes.clear();
    this.apiLimiter.clear();
    this.ipLimiter.clear();
    this.dailyLimiter.clear();
    this.counters = newCounters();
    this.rateLimitPerSecond = this.config.rateLimitPerSecond;
    this.clock.reset();
    this.seed();
  }
}
