import { HttpError } from '../http/errors.js';
import { readParams } from '../http/body.js';
import type { IncomingMessage } from 'node:http';
import { catalogueModel, isWellFormedModelId } from './catalogue.js';

export interface ChatMessage {
  role: string;
  content?: unknown;
}

/** A validated `POST /api/v1/chat/completions` body (the fields the mock reads). */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
}

// OpenAI-compatible validation codes from NanoGPT's Error Handling page [pub].
const invalid = (param: string, message: string): HttpError => new HttpError(400, 'invalid_parameter_value', message, { param });
const missing = (param: string): HttpError => new HttpError(400, 'missing_required_parameter', `${param} is required`, { param });

/** A JSON object body; an unreadable one is 400 `invalid_json`. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const params = await readParams(req, ['json']);
    return params.kind === 'json' ? params.values : {};
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) throw new HttpError(400, 'invalid_json', error.message);
    throw error;
  }
}

function readModel(value: unknown, catalogueOnly: boolean): string {
  if (value === undefined || value === null) throw missing('model');
  if (typeof value !== 'string' || !isWellFormedModelId(value)) throw invalid('model', 'model must be a model id such as gpt-4.1-nano or openai/gpt-5.2');
  if (catalogueOnly && catalogueModel(value) === undefined) {
    throw new HttpError(404, 'model_not_found', `The model ${value} does not exist; GET /api/v1/models lists the models`, { param: 'model' });
  }
  return value;
}

function readMessages(value: unknown): ChatMessage[] {
  if (value === undefined || value === null) throw missing('messages');
  if (!Array.isArray(value) || value.length === 0) throw invalid('messages', 'messages must be a non-empty array');
  for (const message of value as unknown[]) {
    if (typeof message !== 'object' || message === null) throw invalid('messages', 'each message must be an object with role and content');
    if (typeof (message as { role?: unknown }).role !== 'string') throw invalid('messages', 'each message needs a role');
  }
  return value as ChatMessage[];
}

/** `stream` and `stream_options.include_usage`, as OpenAI reads them: options only with `stream: true`. */
function readStreaming(stream: unknown, options: unknown): Pick<ChatRequest, 'stream' | 'includeUsage'> {
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') throw invalid('stream', 'stream must be a boolean');
  if (options === undefined || options === null) return { stream: stream === true, includeUsage: false };
  if (stream !== true) throw invalid('stream_options', 'stream_options is only allowed when stream is true');
  const includeUsage = typeof options === 'object' && !Array.isArray(options) ? (options as { include_usage?: unknown }).include_usage : 'not an object';
  if (includeUsage !== undefined && typeof includeUsage !== 'boolean') {
    throw invalid('stream_options', 'stream_options must be an object whose include_usage is a boolean');
  }
  return { stream: true, includeUsage: includeUsage === true };
}

/** Validate a chat request: any well-formed model id, or only catalogue ones when `catalogueOnly`. */
export function parseChatRequest(body: Record<string, unknown>, catalogueOnly: boolean): ChatRequest {
  const model = readModel(body.model, catalogueOnly);
  const messages = readMessages(body.messages);
  return { model, messages, ...readStreaming(body.stream, body.stream_options) };
}
