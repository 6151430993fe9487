import { chargeFor, admit, record } from '../api/accounting.js';
import { CATALOGUE, type CatalogueModel } from '../api/catalogue.js';
import { parseChatRequest, readJsonObject } from '../api/chat-request.js';
import { replyTo, streamPieces, tokenCount } from '../api/completion.js';
import { streamCompletion } from '../api/stream.js';
import { authenticate, optionalKey } from '../api-auth.js';
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';
import { randomToken } from '../random.js';
import type { UsageLedger } from '../store/usage.js';

const CREATED = Math.floor(Date.UTC(2024, 0, 1) / 1000);

/** One model as listed: `id, object, created, owned_by`; `detailed=true` adds name, description, limits and pricing [pub]. */
function modelView(model: CatalogueModel, detailed: boolean): Record<string, unknown> {
  const basic = { id: model.id, object: 'model', created: CREATED, owned_by: model.owned_by };
  if (!detailed) return basic;
  const { name, description, context_length, max_output_tokens, pricing } = model;
  return { ...basic, name, description, context_length, max_output_tokens, pricing: { ...pricing, currency: 'USD', unit: 'per_million_tokens' } };
}

/**
 * `sort=favorites` (with a valid key) and `sort=mostused` put the most used models first, the
 * rest after in catalogue order; any other value is ignored [pub]. The mock has one account, so
 * its favourites and the global ranking are the same counts [mock].
 */
function sortedModels(sort: string | null, personalised: boolean, usage: UsageLedger): readonly CatalogueModel[] {
  if (sort !== 'mostused' && !(sort === 'favorites' && personalised)) return CATALOGUE;
  const uses = usage.requestsPerModel();
  return [...CATALOGUE].sort((a, b) => (uses.get(b.id) ?? 0) - (uses.get(a.id) ?? 0));
}

export function registerApi(router: Router): void {
  // Public [pub]: no key, or an invalid or revoked one, still gets the list; it never tells whether a key works.
  router.on('GET', '/api/v1/models', ({ req, res, state, query }) => {
    state.count('apiRequests');
    const params = new URLSearchParams(query);
    const detailed = params.get('detailed') === 'true';
    const models = sortedModels(params.get('sort'), optionalKey(state, req) !== undefined, state.usage);
    sendJson(res, 200, { object: 'list', data: models.map((model) => modelView(model, detailed)) });
  });

  router.on('POST', '/api/v1/chat/completions', async ({ req, res, state }) => {
    state.count('apiRequests');
    const key = authenticate(state, req);
    const request = parseChatRequest(await readJsonObject(req), state.catalogueOnly);
    const reply = replyTo(request.messages);
    const charge = chargeFor(request.model, tokenCount(JSON.stringify(request.messages)), tokenCount(reply));
    admit(state, key, charge);
    record(state, key, charge);
    const usage = { prompt_tokens: charge.inputTokens, completion_tokens: charge.outputTokens, total_tokens: charge.inputTokens + charge.outputTokens };
    const id = `chatcmpl-${randomToken(12)}`;
    const created = Math.floor(state.now() / 1000);
    if (request.stream) {
      const completion = { id, created, model: request.model, pieces: streamPieces(reply), usage, includeUsage: request.includeUsage };
      return streamCompletion(res, completion, state.config.streamChunkDelayMs);
    }
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      usage,
    });
  });
}
