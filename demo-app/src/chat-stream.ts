import { apiError } from '@nanogpt-signin/core';

/** One server-sent event of an OpenAI-compatible chat completion stream. */
interface ChatChunk {
  choices?: { delta?: { content?: string | null } }[];
  /** A mid-stream failure (NanoGPT's Error Handling doc): the request failed after it began. */
  error?: { status?: number; code?: string; type?: string; message?: string };
}

/** A non-streaming chat completion (a server may answer `stream: true` with plain JSON). */
interface ChatCompletion {
  choices?: { message?: { content?: string | null } }[];
}

/**
 * Yields the text of a chat completion as it arrives: reads the SSE body of a `stream: true` answer
 * (`data: {chunk}` lines, ending at `data: [DONE]`), or the whole answer at once when the server
 * sent plain JSON. A mid-stream error frame is thrown as the typed error its status and code mean
 * (the same mapping as a failed response: `spend_limit_reached`, `server_error`, …).
 */
export async function* readChatText(response: Response): AsyncGenerator<string> {
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    const completion = (await response.json()) as ChatCompletion;
    yield completion.choices?.[0]?.message?.content ?? '';
    return;
  }
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines()).getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const line = next.value;
      if (!line.startsWith('data:')) continue; // comments (": keep-alive"), event names, blank separators
      const data = line.slice('data:'.length).trim();
      if (data === '[DONE]') return;
      const chunk = JSON.parse(data) as ChatChunk;
      if (chunk.error) throw await streamError(chunk.error);
      const text = chunk.choices?.[0]?.delta?.content;
      if (text) yield text;
    }
  } finally {
    reader.cancel().catch(() => {}); // stop reading if the caller gave up early or an error frame came
  }
}

/** The typed error of a mid-stream error frame: what a failed response with its status and code would be. */
function streamError(error: NonNullable<ChatChunk['error']>) {
  const status = error.status && error.status >= 400 && error.status <= 599 ? error.status : 500;
  return apiError(new Response(JSON.stringify({ error }), { status }));
}

/** A stream of text split into lines (`\n` or `\r\n`), however the chunks happen to fall. */
function splitLines(): TransformStream<string, string> {
  let rest = '';
  return new TransformStream({
    transform(text, controller) {
      const parts = (rest + text).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}
