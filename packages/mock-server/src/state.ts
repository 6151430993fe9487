import { utcDay } from './api/periods.js';
import type { Clock } from './clock.js';
import { FULL_SCOPE } from './oauth/scopes.js';
import { ClientStore } from './store/clients.js';
import { CodeStore } from './store/codes.js';
import { ConsentStore } from './store/consents.js';
import { DeviceLoginStore } from './store/device-logins.js';
import { KeyStore, NO_RESTRICTIONS } from './store/keys.js';
import { RateLimiter } from './store/rate-limit.js';
import { UsageLedger } from './store/usage.js';

export interface Account {
  id: string;
  email: string;
  balanceUsd: number;
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
  /** Chat completions accept only catalogue models (any other id is 404 `model_not_found`). */
  catalogueOnly: boolean;
  /** Pause between the chunks of a streamed completion. */
  streamChunkDelayMs: number;
}

/** Usage older than this is dropped: `/api/v1/usage` ranges are capped at 366 days. */
const USAGE_KEPT_MS = 400 * 86_400_000;

const newCounters = (): Counters => ({
  codesIssued: 0,
  codesRedeemed: 0,
  tokenRequests: 0,
  keysMinted: 0,
  deviceLoginsStarted: 0,
  apiRequests: 0,
});

/**
 * All mutable state of one mock server. Each store keeps its entries private and is changed
 * only through its named operations (issue and take a code, open and close a consent, …).
 */
export class MockState {
  issuer = '';
  readonly keys: KeyStore;
  readonly clients: ClientStore;
  readonly codes: CodeStore;
  readonly consents: ConsentStore;
  readonly deviceLogins: DeviceLoginStore;
  readonly apiLimiter = new RateLimiter(1000);
  readonly ipLimiter = new RateLimiter(60_000);
  /** Every answered API request's cost and tokens: usage reports, spend and request caps. */
  readonly usage = new UsageLedger();
  /** The signed-in test account; its balance pays for priced completions. */
  account: Account;
  /** See `StateConfig.catalogueOnly`; changed by the `/__mock/models/catalogue-only` control. */
  catalogueOnly: boolean;
  private tally: Counters = newCounters();
  private perSecond: number | null;

  constructor(
    readonly config: StateConfig,
    private readonly clock: Clock,
  ) {
    this.keys = new KeyStore(clock);
    this.clients = new ClientStore(clock);
    this.codes = new CodeStore(clock, config.codeTtlMs);
    this.consents = new ConsentStore(clock, config.consentTtlMs);
    this.deviceLogins = new DeviceLoginStore(clock, config.deviceTtlMs);
    this.perSecond = config.rateLimitPerSecond;
    this.account = { ...config.account };
    this.catalogueOnly = config.catalogueOnly;
    this.seed();
  }

  private seed(): void {
    for (const legacy of this.config.legacyKeys) {
      this.keys.add({
        key: legacy,
        name: 'Legacy key',
        kind: 'dashboard',
        scope: FULL_SCOPE,
        allowedOrigins: [],
        limit: null,
        usageLimitType: null,
        expiresAt: null,
        restrictions: { ...NO_RESTRICTIONS },
      });
    }
  }

  now(): number {
    return this.clock.now();
  }

  /** Move the mock's clock forward and drop what expired; answers the new time. */
  advanceClock(seconds: number): number {
    const now = this.clock.advance(seconds);
    this.sweep();
    return now;
  }

  /** Count one event (a token request, a redeemed code, a minted key, …). */
  count(counter: keyof Counters): void {
    this.tally[counter]++;
  }

  counters(): Counters {
    return { ...this.tally };
  }

  /** API requests per second per key; null = unlimited, 0 = every request refused. */
  get rateLimitPerSecond(): number | null {
    return this.perSecond;
  }

  /** A new API rate limit starts with fresh windows. */
  setRateLimit(perSecond: number | null): void {
    this.perSecond = perSecond;
    this.apiLimiter.clear();
  }

  /** Drop expired codes, consents, device logins, rate-limit windows and usage past any report range. */
  sweep(): void {
    const now = this.now();
    this.codes.sweep();
    this.consents.sweep();
    this.deviceLogins.sweep();
    this.apiLimiter.sweep(now);
    this.ipLimiter.sweep(now);
    this.usage.sweep(utcDay(now - USAGE_KEPT_MS));
  }

  /** How many entries each store holds (to show that sweeping keeps memory flat). */
  sizes(): StoreSizes {
    return {
      codes: this.codes.size,
      consents: this.consents.size,
      deviceLogins: this.deviceLogins.size,
      clients: this.clients.registeredCount,
      callbackClients: this.clients.callbackCount,
      keys: this.keys.size,
    };
  }

  reset(): void {
    this.keys.clear();
    this.clients.clear();
    this.codes.clear();
    this.consents.clear();
    this.deviceLogins.clear();
    this.apiLimiter.clear();
    this.ipLimiter.clear();
    this.usage.clear();
    this.tally = newCounters();
    this.perSecond = this.config.rateLimitPerSecond;
    this.account = { ...this.config.account };
    this.catalogueOnly = this.config.catalogueOnly;
    this.clock.reset();
    this.seed();
  }
}
