import { randomToken } from '../random.js';
import { authenticate } from '../api-auth.js';
import { readParams } from '../http/body.js';
import { HttpError, invalidRequest } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import type { Router } from '../http/router.js';

export const MODELS = [
  { id: 'gpt-4o-mini', owned_by: 'openai', name: 'GPT-4o mini', context_length: 128000, pricing: { prompt: 0.15, completion: 0.6, unit: 'per_million_tokens' } },
  { id: 'claude-3-5-haiku-20241022', owned_by: 'anthropic', name: 'Claude 3.5 Haiku', context_length: 200000, pricing: { prompt: 0.8, completion: 4, unit: 'per_million_tokens' } },
  { id: 'deepseek-chat', owned_by: 'deepseek', name: 'DeepSeek V3', context_length: 64000, pricing: { prompt: 0.27, completion: 1.1, unit: 'per_million_tokens' } },
  { id: 'nano-mock-echo', owned_by: 'nanogpt', name: 'Mock echo', context_length: 8192, pricing: { prompt: 0, completion: 0, unit: 'per_million_tokens' } },
] as const;

function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((part: unknown) =>
        typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text' ? (part as { text?: unknown }).text : undefined,
      )
      .filter((text): text is string => typeof text === 'string');
    return parts.length > 0 ? parts.join(' ') : undefined;
  }
  return undefined;
}

/** A rough token count: four characters a token. */
const tokenCount = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

export function registerApi(router: Router): void {
  router.on('GET', '/api/v1/models', ({ req, res, state }) => {
    state.count('apiRequests');
    authenticate(state, req);
    const created = Math.floor(Date.UTC(2024, 0, 1) / 1000);
    sendJson(res, 200, { object: 'list', data: MODELS.map((model) => ({ ...model, object: 'model', created })) });
  });

  router.on('POST', '/api/v1/chat/completions', async ({ req, res, state }) => {
    state.count('apiRequests');
    authenticate(state, req);
    const params = await readParams(req, ['json']);
    if (params.kind !== 'json') throw invalidRequest('Send a JSON body with model and messages');
    const { model, messages } = params.values;
    if (model !== undefined && typeof model !== 'string') throw invalidRequest('model must be a string');
    const modelId = model ?? MODELS[0].id;
    if (!MODELS.some((known) => known.id === modelId)) throw new HttpError(404, 'model_not_found', `Unknown model: ${modelId}`);
    if (!Array.isArray(messages) || messages.length === 0) throw invalidRequest('messages must be a non-empty array');
    let lastUserText: string | undefined;
    for (const message of messages as unknown[]) {
      if (typeof message !== 'object' || message === null) throw invalidRequest('each message must be an object with role and content');
      const { role, content } = message as { role?: unknown; content?: unknown };
      if (typeof role !== 'string') throw invalidRequest('each message needs a role');
      if (role === 'user') lastUserText = textOf(content) ?? lastUserText;
    }
    const prompt = (lastUserText ?? '').slice(0, 500);
    const reply = prompt !== '' ? `This is the NanoGPT mock. You said: "${prompt}"` : 'This is the NanoGPT mock. Send a user message and I will echo it.';
    const promptTokens = tokenCount(JSON.stringify(messages));
    const completionTokens = tokenCount(reply);
    sendJson(res, 200, {
      id: `chatcmpl-${randomToken(12)}`,
      object: 'chat.completion',
      created: Math.floor(state.now() / 1000),
      model: modelId,
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  });
}
