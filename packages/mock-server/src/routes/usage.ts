import { parseUsageQuery, usageReport, type UsageScope } from '../api/usage-report.js';
import { authenticate } from '../api-auth.js';
import { HttpError } from '../http/errors.js';
import { FormDecodeError, parseForm, type FormParams } from '../http/form.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';

const PARAMETERS: readonly string[] = ['from', 'to', 'group_by', 'scope', 'api_key_id'];
/** Row-history parameters the aggregate endpoint rejects [pub]. */
const LEGACY_PARAMETERS: readonly string[] = ['duration', 'page', 'pageSize', 'sort', 'dir', 'filter', 'weekOffset', 'tz', 'include_summary'];

const invalid = (message: string, param?: string): HttpError =>
  new HttpError(400, 'invalid_parameter_value', message, param === undefined ? {} : { param });

/** The query's parameters, each sent at most once; legacy and unknown ones are refused [pub]. */
function readQuery(query: string): Map<string, string> {
  let params: FormParams;
  try {
    params = parseForm(query);
  } catch (error) {
    if (error instanceof FormDecodeError) throw invalid(error.message);
    throw error;
  }
  const values = new Map<string, string>();
  for (const [name, list] of params) {
    if (LEGACY_PARAMETERS.includes(name)) throw invalid(`${name} is not supported: usage is aggregate; use from and to (YYYY-MM-DD, UTC).`, name);
    if (!PARAMETERS.includes(name)) throw invalid(`Unsupported parameter: ${name}.`, name);
    if (list.length > 1) throw invalid(`The ${name} parameter is repeated.`, name);
    // An empty value counts as absent.
    if (list[0] !== undefined && list[0] !== '') values.set(name, list[0]);
  }
  return values;
}

/** GET /api/v1/usage: the calling key's aggregate usage (spec §2; NanoGPT's Usage page). */
export function registerUsage(router: Router): void {
  router.on('GET', '/api/v1/usage', ({ req, res, state, query }) => {
    state.count('apiRequests');
    const key = authenticate(state, req);
    const values = readQuery(query);
    const scope = values.get('scope') ?? 'current_key';
    if (scope !== 'current_key' && scope !== 'api_key') throw invalid('scope must be current_key or api_key.', 'scope');
    const apiKeyId = values.get('api_key_id');
    if (apiKeyId !== undefined && apiKeyId !== String(key.numericId)) {
      throw invalid('api_key_id must be the ID of the API key making the request; usage of other keys is not available.', 'api_key_id');
    }
    const now = state.now();
    const parsed = parseUsageQuery({ from: values.get('from'), to: values.get('to'), groupBy: values.get('group_by') }, now);
    if (!parsed.ok) throw invalid(parsed.description, parsed.param);
    sendJson(res, 200, usageReport(state.usage, key, parsed.value, scope satisfies UsageScope, now), NO_STORE);
  });
}
