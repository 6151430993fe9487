import type { ServerResponse } from 'node:http';
import { openEventStream } from '../http/respond.js';

/** OpenAI's `usage` object of a completion. */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface StreamedCompletion {
  id: string;
  created: number;
  model: string;
  /** The answer's text, in the pieces it is sent in. */
  pieces: string[];
  usage: CompletionUsage;
  /** `stream_options.include_usage`: every chunk carries `usage: null` and a last chunk the usage. */
  includeUsage: boolean;
}

/** Wait `ms`, or less when the response closes (the client left or the server is closing). */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/**
 * Answer a completion as OpenAI's `chat.completion.chunk` server-sent events ending in
 * `data: [DONE]`: a role chunk, one chunk per piece `delayMs` apart (so a browser shows the
 * text growing), a `finish_reason` chunk and, with `includeUsage`, a usage chunk with no choices.
 * Stops quietly when the client goes away.
 */
export async function streamCompletion(res: ServerResponse, completion: StreamedCompletion, delayMs: number): Promise<void> {
  const { id, created, model, includeUsage } = completion;
  const chunk = (choices: unknown[], usage: CompletionUsage | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices,
    ...(includeUsage ? { usage } : {}),
  });
  const send = (data: unknown): void => {
    res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  };
  openEventStream(res);
  send(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
  for (const piece of completion.pieces) {
    if (delayMs > 0) await pause(delayMs, res);
    if (res.destroyed) return;
    send(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
  }
  send(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
  if (includeUsage) send(chunk([], completion.usage));
  send('[DONE]');
  res.end();
}
