import { readParams } from '../http/body.js';
import { HttpError, invalidRequest } from '../http/errors.js';
import { MAX_TIME_MS, parseIsoTime, type Params } from '../http/params.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import type { ClockAnswer, ConsentDecision, ControlOk, CreatedKey, KeyList, PendingInfo } from '../controls-api.js';
import { decideConsent } from '../oauth/consent.js';
import { approveDevice, denyDevice, deviceStatus } from '../oauth/device.js';
import { parseSpendCap } from '../oauth/spend-cap.js';
import { newApiKey } from '../random.js';
import { FULL_SCOPE } from '../oauth/scopes.js';
import type { Counters, MockState, StoreSizes } from '../state.js';
import type { PendingConsent } from '../store/consents.js';
import { describeKey, type KeyInfo, type KeyRecord } from '../store/keys.js';

const notFound = (what: string): HttpError => new HttpError(404, 'not_found', what);

function body(params: Params): Record<string, unknown> {
  if (params.kind === 'json') return params.values;
  if (params.values.size === 0) return {};
  throw invalidRequest('Test controls take a JSON body');
}

const str = (v: unknown, name: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${name} must be a string`);
  return v;
};

const strings = (v: unknown, name: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw invalidRequest(`${name} must be an array of strings`);
  return v as string[];
};

const amount = (v: unknown, name: string): number | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidRequest(`${name} must be a non-negative number`);
  return v;
};

function keyFromBody(state: MockState, b: Record<string, unknown>): KeyRecord {
  const key = str(b.key, 'key');
  if (key === undefined) throw invalidRequest('key is required');
  const record = state.keys.get(key);
  if (record === undefined) throw notFound('Unknown key');
  return record;
}

function createKey(state: MockState, b: Record<string, unknown>): KeyRecord {
  const r = (b.restrictions ?? {}) as Record<string, unknown>;
  if (typeof r !== 'object' || Array.isArray(r)) throw invalidRequest('restrictions must be an object');
  const kind = b.kind ?? 'dashboard';
  if (kind !== 'dashboard' && kind !== 'oauth') throw invalidRequest("kind must be 'dashboard' or 'oauth'");
  let expiresAt: number | null = null;
  const expiresText = str(b.expiresAt, 'expiresAt');
  if (expiresText !== undefined) {
    // A past time is fine: it makes an already expired key.
    expiresAt = parseIsoTime(expiresText);
    if (expiresAt === null) throw invalidRequest('expiresAt must be an ISO 8601 time');
  }
  const spendCap = parseSpendCap(amount(r.limit, 'restrictions.limit'), r.usageLimitType, 'restrictions.usageLimitType');
  if (!spendCap.ok) throw invalidRequest(spendCap.description);
  if (r.redaction !== undefined && typeof r.redaction !== 'boolean') throw invalidRequest('restrictions.redaction must be a boolean');
  return state.keys.add({
    key: newApiKey(),
    name: str(b.label, 'label') ?? (kind === 'oauth' ? 'OAuth: Test app' : 'Test key'),
    kind,
    scope: FULL_SCOPE,
    allowedOrigins: strings(r.origins, 'restrictions.origins'),
    ...spendCap.value,
    expiresAt,
    restrictions: {
      requestLimit: amount(r.requestLimit, 'restrictions.requestLimit'),
      models: strings(r.models, 'restrictions.models'),
      providers: strings(r.providers, 'restrictions.providers'),
      redaction: r.redaction === true,
    },
  });
}

function pickConsent(state: MockState, id: string | undefined): PendingConsent {
  const live = state.consents.pending();
  const consent = id === undefined ? live.at(-1) : live.find((c) => c.id === id);
  if (!consent) throw notFound(id === undefined ? 'No pending consent' : 'Unknown or expired consent');
  return consent;
}

function pickUserCode(state: MockState, userCode: string | undefined): string {
  if (userCode !== undefined) return userCode;
  const newest = state.deviceLogins.newestPending();
  if (newest === undefined) throw notFound('No pending device login');
  return newest.userCode;
}

/** The /__mock/ test controls (contract table). JSON in and out; keys travel only in bodies. */
export function registerControls(router: Router): void {
  const OK: ControlOk = { ok: true };
  const post = <T>(path: string, run: (state: MockState, b: Record<string, unknown>) => [number, T]) =>
    router.on('POST', path, async ({ req, res, state }) => {
      const b = body(await readParams(req, ['json']));
      const [status, answer] = run(state, b);
      sendJson(res, status, answer, NO_STORE);
    });

  const get = <T>(path: string, run: (state: MockState) => T) =>
    router.on('GET', path, ({ res, state }) => sendJson(res, 200, run(state)));

  post<CreatedKey>('/__mock/keys', (state, b) => {
    const record = createKey(state, b);
    return [201, { id: record.id, key: record.key }];
  });
  post<ControlOk>('/__mock/keys/revoke', (state, b) => {
    state.keys.revoke(keyFromBody(state, b));
    return [200, OK];
  });
  post<ControlOk>('/__mock/keys/origins', (state, b) => {
    state.keys.setAllowedOrigins(keyFromBody(state, b), strings(b.origins, 'origins'));
    return [200, OK];
  });
  post<KeyInfo>('/__mock/keys/inspect', (state, b) => [200, describeKey(keyFromBody(state, b))]);
  get<KeyList>('/__mock/keys', (state) => ({ keys: state.keys.all().map(describeKey) }));
  post<ControlOk>('/__mock/rate-limit', (state, b) => {
    const perSecond = b.perSecond;
    if (perSecond !== null && (typeof perSecond !== 'number' || !Number.isInteger(perSecond) || perSecond < 0)) {
      throw invalidRequest('perSecond must be a non-negative integer or null');
    }
    state.setRateLimit(perSecond);
    return [200, OK];
  });
  post<ClockAnswer>('/__mock/clock', (state, b) => {
    const seconds = b.advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw invalidRequest('advanceSeconds must be a non-negative number');
    }
    // Past the year 9999 every ISO timestamp the mock writes would throw (a 500 on later requests).
    if (state.now() + seconds * 1000 > MAX_TIME_MS) throw invalidRequest('advanceSeconds would move the clock past the year 9999');
    return [200, { now: new Date(state.advanceClock(seconds)).toISOString() }];
  });
  get<PendingInfo>('/__mock/pending', (state) => {
    return {
      consents: state.consents.pending().map((c) => ({
        id: c.id,
        flow: c.flow,
        clientName: c.clientName,
        redirectUri: c.redirectUri,
        scope: c.scope,
        ...(c.userCode !== undefined ? { userCode: c.userCode } : {}),
      })),
      deviceLogins: state.deviceLogins.held().map((l) => ({ userCode: l.userCode, clientName: l.clientName, status: deviceStatus(state, l) })),
    };
  });
  post<ConsentDecision>('/__mock/consents/approve', (state, b) => {
    const consent = pickConsent(state, str(b.id, 'id'));
    const spendCap = parseSpendCap(amount(b.limit, 'limit'), b.usageLimitType, 'usageLimitType');
    if (!spendCap.ok) throw invalidRequest(spendCap.description);
    return [200, { location: decideConsent(state, consent, { decision: 'approve', cap: spendCap.value }) }];
  });
  post<ConsentDecision>('/__mock/consents/deny', (state, b) => {
    const consent = pickConsent(state, str(b.id, 'id'));
    return [200, { location: decideConsent(state, consent, { decision: 'deny' }) }];
  });
  post<ControlOk>('/__mock/device/approve', (state, b) => {
    if (!approveDevice(state, pickUserCode(state, str(b.userCode, 'userCode')))) throw notFound('No pending device login with that user code');
    return [200, OK];
  });
  post<ControlOk>('/__mock/device/deny', (state, b) => {
    if (!denyDevice(state, pickUserCode(state, str(b.userCode, 'userCode')))) throw notFound('No pending device login with that user code');
    return [200, OK];
  });
  get<StoreSizes>('/__mock/stats', (state) => state.sizes());
  get<Counters>('/__mock/counters', (state) => state.counters());
  post<ControlOk>('/__mock/reset', (state) => {
    state.reset();
    return [200, OK];
  });
}
