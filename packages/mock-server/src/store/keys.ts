import { maskKey, type UsageLimitType } from '@nanogpt-signin/core';
import type { Clock } from '../clock.js';
import { randomToken } from '../random.js';
import { BoundedMap } from './bounded.js';

export type KeyKind = 'dashboard' | 'oauth' | 'cli';

export interface KeyRestrictions {
  requestLimit: number | null;
  models: string[];
  providers: string[];
  redaction: boolean;
}

/** A USD spend cap and the period it resets on; no limit means no period. */
export interface SpendCap {
  limit: number | null;
  usageLimitType: UsageLimitType | null;
}

/** Everything needed to mint a key once a grant is approved (and its code redeemed). */
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

export interface KeyRecord extends SpendCap {
  id: string;
  /** The numeric id NanoGPT's usage API reports as `apiKey.id` [pub]. */
  numericId: number;
  key: string;
  name: string;
  kind: KeyKind;
  scope: string;
  /** Browser origins allowed to use the key; empty = any origin. */
  allowedOrigins: string[];
  /** Epoch ms, or null for no expiry. */
  expiresAt: number | null;
  revoked: boolean;
  createdAt: number;
  restrictions: KeyRestrictions;
  /** The grant this key serves (for reuse), if minted by a flow. */
  grant: string | null;
  /** The client the key was granted to, if minted by a flow. */
  clientId: string | null;
}

export type NewKey = Omit<KeyRecord, 'id' | 'numericId' | 'revoked' | 'createdAt' | 'restrictions' | 'grant' | 'clientId'> &
  Partial<Pick<KeyRecord, 'restrictions' | 'grant' | 'clientId'>>;

export const NO_RESTRICTIONS: KeyRestrictions = { requestLimit: null, models: [], providers: [], redaction: false };

/** Public view of a key, as the test controls answer it (never the key itself). */
export interface KeyInfo
  extends Pick<KeyRecord, 'id' | 'name' | 'kind' | 'scope' | 'allowedOrigins' | 'limit' | 'usageLimitType' | 'revoked' | 'restrictions'> {
  /** ISO 8601, or null for no expiry. */
  expiresAt: string | null;
  /** `sk-nano-…1a2b` (core's `maskKey`): the only form in which a key leaves the server in a listing. */
  maskedKey: string;
  /** ISO 8601. */
  createdAt: string;
}

/** Public view of a key (never the key itself). */
export function describeKey(record: KeyRecord): KeyInfo {
  return {
    id: record.id,
    name: record.name,
    kind: record.kind,
    scope: record.scope,
    allowedOrigins: [...record.allowedOrigins],
    limit: record.limit,
    usageLimitType: record.usageLimitType,
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    revoked: record.revoked,
    maskedKey: maskKey(record.key),
    restrictions: { ...record.restrictions },
    createdAt: new Date(record.createdAt).toISOString(),
  };
}

/**
 * All API keys of the (single) test account, plus the grant -> key index used for reuse. At most
 * `maxKeys` are held: beyond that the least recently used key is forgotten.
 */
export class KeyStore {
  private readonly byKey: BoundedMap<string, KeyRecord>;
  private readonly byGrant = new Map<string, KeyRecord>();
  private lastNumericId = 0;

  constructor(
    private readonly clock: Clock,
    maxKeys: number,
  ) {
    this.byKey = new BoundedMap(maxKeys, (_key, record) => {
      if (record.grant !== null && this.byGrant.get(record.grant) === record) this.byGrant.delete(record.grant);
    });
  }

  add(input: NewKey): KeyRecord {
    const record: KeyRecord = {
      ...input,
      id: `key_${randomToken(12)}`,
      numericId: ++this.lastNumericId,
      revoked: false,
      createdAt: this.clock.now(),
      restrictions: input.restrictions ?? { ...NO_RESTRICTIONS },
      grant: input.grant ?? null,
      clientId: input.clientId ?? null,
    };
    this.byKey.set(record.key, record);
    if (record.grant !== null) this.byGrant.set(record.grant, record);
    return record;
  }

  /** The key's record (now its most recently used). */
  get(key: string): KeyRecord | undefined {
    return this.byKey.touch(key);
  }

  /** Not revoked and not expired. */
  isActive(record: KeyRecord): boolean {
    return !record.revoked && (record.expiresAt === null || record.expiresAt > this.clock.now());
  }

  /** The active key already serving `grant` (same client, same settings), if any. */
  activeForGrant(grant: string): KeyRecord | undefined {
    const record = this.byGrant.get(grant);
    return record !== undefined && this.isActive(record) ? record : undefined;
  }

  revoke(record: KeyRecord): void {
    record.revoked = true;
  }

  /** `[]` lets the key be used from any origin. */
  setAllowedOrigins(record: KeyRecord, origins: string[]): void {
    record.allowedOrigins = origins;
  }

  all(): KeyRecord[] {
    return [...this.byKey.values()];
  }

  get size(): number {
    return this.byKey.size;
  }

  clear(): void {
    this.byKey.clear();
    this.byGrant.clear();
  }
}

export function isRestricted(record: KeyRecord): boolean {
  const { restrictions } = record;
  return (
    record.limit !== null ||
    restrictions.requestLimit !== null ||
    restrictions.models.length > 0 ||
    restrictions.providers.length > 0 ||
    record.allowedOrigins.length > 0 ||
    restrictions.redaction
  );
}
