import { parseUsageQuery, usageReport, type UsageReport } from '../api/usage-report.js';
import type { Balance, ClockAnswer, ConsentDecision, ControlOk, CreatedKey, KeyList, PendingInfo } from '../controls-api.js';
import { readParams } from '../http/body.js';
import { HttpError, invalidRequest } from '../http/errors.js';
import { jsonAmount, jsonString, jsonStringList } from '../http/json-fields.js';
import { MAX_TIME_MS, parseIsoTime, type Params } from '../http/params.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { decideConsent } from '../oauth/consent.js';
import { approveDevice, denyDevice, deviceStatus } from '../oauth/device.js';
import { FULL_SCOPE } from '../oauth/scopes.js';
import { parseSpendCap } from '../oauth/spend-cap.js';
import { newApiKey } from '../random.js';
import type { Counters, MockState, StoreSizes } from '../state.js';
import type { PendingConsent } from '../store/consents.js';
import { describeKey, type KeyInfo, type KeyRecord } from '../store/keys.js';

type Body = Record<string, unknown>;

const notFound = (what: string): HttpError => new HttpError(404, 'not_found', what);

function jsonBody(params: Params): Body {
  if (params.kind === 'json') return params.values;
  if (params.values.size === 0) return {};
  throw invalidRequest('Test controls take a JSON body');
}

function keyFromBody(state: MockState, body: Body): KeyRecord {
  const key = jsonString(body.key, 'key');
  if (key === undefined) throw invalidRequest('key is required');
  const record = state.keys.get(key);
  if (record === undefined) throw notFound('Unknown key');
  return record;
}

function createKey(state: MockState, body: Body): KeyRecord {
  const restrictions = (body.restrictions ?? {}) as Body;
  if (typeof restrictions !== 'object' || Array.isArray(restrictions)) throw invalidRequest('restrictions must be an object');
  const kind = body.kind ?? 'dashboard';
  if (kind !== 'dashboard' && kind !== 'oauth') throw invalidRequest("kind must be 'dashboard' or 'oauth'");
  let expiresAt: number | null = null;
  const expiresText = jsonString(body.expiresAt, 'expiresAt');
  if (expiresText !== undefined) {
    // A past time is fine: it makes an already expired key.
    expiresAt = parseIsoTime(expiresText);
    if (expiresAt === null) throw invalidRequest('expiresAt must be an ISO 8601 time');
  }
  const spendCap = parseSpendCap(
    jsonAmount(restrictions.limit, 'restrictions.limit'),
    restrictions.usageLimitType,
    'restrictions.usageLimitType',
  );
  if (!spendCap.ok) throw invalidRequest(spendCap.description);
  if (restrictions.redaction !== undefined && typeof restrictions.redaction !== 'boolean') {
    throw invalidRequest('restrictions.redaction must be a boolean');
  }
  return state.keys.add({
    key: newApiKey(),
    name: jsonString(body.label, 'label') ?? (kind === 'oauth' ? 'OAuth: Test app' : 'Test key'),
    kind,
    scope: FULL_SCOPE,
    allowedOrigins: jsonStringList(restrictions.origins, 'restrictions.origins'),
    ...spendCap.value,
    expiresAt,
    restrictions: {
      requestLimit: jsonAmount(restrictions.requestLimit, 'restrictions.requestLimit'),
      models: jsonStringList(restrictions.models, 'restrictions.models'),
      providers: jsonStringList(restrictions.providers, 'restrictions.providers'),
      redaction: restrictions.redaction === true,
    },
  });
}

/** The consent with `id`, or the newest pending one. */
function pickConsent(state: MockState, id: string | undefined): PendingConsent {
  const pending = state.consents.pending();
  const consent = id === undefined ? pending.at(-1) : pending.find((candidate) => candidate.id === id);
  if (consent === undefined) throw notFound(id === undefined ? 'No pending consent' : 'Unknown or expired consent');
  return consent;
}

/** `userCode`, or the newest pending device login's. */
function pickUserCode(state: MockState, userCode: string | undefined): string {
  if (userCode !== undefined) return userCode;
  const newest = state.deviceLogins.newestPending();
  if (newest === undefined) throw notFound('No pending device login');
  return newest.userCode;
}

/** The /__mock/ test controls (contract table). JSON in and out; keys travel only in bodies. */
export function registerControls(router: Router): void {
  const OK: ControlOk = { ok: true };
  const post = <T>(path: string, run: (state: MockState, body: Body) => [number, T]) =>
    router.on('POST', path, async ({ req, res, state }) => {
      const body = jsonBody(await readParams(req, ['json']));
      const [status, answer] = run(state, body);
      sendJson(res, status, answer, NO_STORE);
    });

  const get = <T>(path: string, run: (state: MockState) => T) =>
    router.on('GET', path, ({ res, state }) => sendJson(res, 200, run(state)));

  post<CreatedKey>('/__mock/keys', (state, body) => {
    const record = createKey(state, body);
    return [201, { id: record.id, key: record.key }];
  });
  post<ControlOk>('/__mock/keys/revoke', (state, body) => {
    state.keys.revoke(keyFromBody(state, body));
    return [200, OK];
  });
  post<ControlOk>('/__mock/keys/origins', (state, body) => {
    state.keys.setAllowedOrigins(keyFromBody(state, body), jsonStringList(body.origins, 'origins'));
    return [200, OK];
  });
  post<KeyInfo>('/__mock/keys/inspect', (state, body) => [200, describeKey(keyFromBody(state, body))]);
  get<KeyList>('/__mock/keys', (state) => ({ keys: state.keys.all().map(describeKey) }));
  post<ControlOk>('/__mock/rate-limit', (state, body) => {
    const perSecond = body.perSecond;
    if (perSecond !== null && (typeof perSecond !== 'number' || !Number.isInteger(perSecond) || perSecond < 0)) {
      throw invalidRequest('perSecond must be a non-negative integer or null');
    }
    state.setRateLimit(perSecond);
    return [200, OK];
  });
  post<Balance>('/__mock/balance', (state, body) => {
    const balanceUsd = body.balanceUsd;
    if (typeof balanceUsd !== 'number' || !Number.isFinite(balanceUsd) || balanceUsd < 0) throw invalidRequest('balanceUsd must be a non-negative number');
    state.account.balanceUsd = balanceUsd;
    return [200, { balanceUsd }];
  });
  get<Balance>('/__mock/balance', (state) => ({ balanceUsd: state.account.balanceUsd }));
  post<UsageReport>('/__mock/keys/usage', (state, body) => {
    const record = keyFromBody(state, body);
    const now = state.now();
    const query = parseUsageQuery({ from: jsonString(body.from, 'from'), to: jsonString(body.to, 'to'), groupBy: jsonString(body.groupBy, 'groupBy') }, now);
    if (!query.ok) throw invalidRequest(query.description);
    return [200, usageReport(state.usage, record, query.value, 'current_key', now)];
  });
  post<ControlOk>('/__mock/models/catalogue-only', (state, body) => {
    if (typeof body.catalogueOnly !== 'boolean') throw invalidRequest('catalogueOnly must be a boolean');
    state.catalogueOnly = body.catalogueOnly;
    return [200, OK];
  });
  post<ClockAnswer>('/__mock/clock', (state, body) => {
    const seconds = body.advanceSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw invalidRequest('advanceSeconds must be a non-negative number');
    }
    // Past the year 9999 every ISO timestamp the mock writes would throw (a 500 on later requests).
    if (state.now() + seconds * 1000 > MAX_TIME_MS) throw invalidRequest('advanceSeconds would move the clock past the year 9999');
    return [200, { now: new Date(state.advanceClock(seconds)).toISOString() }];
  });
  get<PendingInfo>('/__mock/pending', (state) => ({
    consents: state.consents.pending().map((consent) => ({
      id: consent.id,
      flow: consent.flow,
      clientName: consent.clientName,
      redirectUri: consent.redirectUri,
      scope: consent.scope,
      // Undefined outside device logins: JSON leaves it out.
      userCode: consent.userCode,
    })),
    deviceLogins: state.deviceLogins.held().map((login) => ({
      userCode: login.userCode,
      clientName: login.clientName,
      status: deviceStatus(state, login),
    })),
  }));
  post<ConsentDecision>('/__mock/consents/approve', (state, body) => {
    const consent = pickConsent(state, jsonString(body.id, 'id'));
    const spendCap = parseSpendCap(jsonAmount(body.limit, 'limit'), body.usageLimitType, 'usageLimitType');
    if (!spendCap.ok) throw invalidRequest(spendCap.description);
    return [200, { location: decideConsent(state, consent, { decision: 'approve', cap: spendCap.value }) }];
  });
  post<ConsentDecision>('/__mock/consents/deny', (state, body) => {
    const consent = pickConsent(state, jsonString(body.id, 'id'));
    return [200, { location: decideConsent(state, consent, { decision: 'deny' }) }];
  });
  post<ControlOk>('/__mock/device/approve', (state, body) => {
    const userCode = pickUserCode(state, jsonString(body.userCode, 'userCode'));
    if (!approveDevice(state, userCode)) throw notFound('No pending device login with that user code');
    return [200, OK];
  });
  post<ControlOk>('/__mock/device/deny', (state, body) => {
    const userCode = pickUserCode(state, jsonString(body.userCode, 'userCode'));
    if (!denyDevice(state, userCode)) throw notFound('No pending device login with that user code');
    return [200, OK];
  });
  get<StoreSizes>('/__mock/stats', (state) => state.sizes());
  get<Counters>('/__mock/counters', (state) => state.counters());
  post<ControlOk>('/__mock/reset', (state) => {
    state.reset();
    return [200, OK];
  });
}
