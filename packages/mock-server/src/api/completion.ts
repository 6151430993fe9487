/** The mock's canned chat answer: it quotes the last user message, so a test can see its prompt arrived. */

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

/** The answer to a validated list of messages. */
export function replyTo(messages: ReadonlyArray<{ role: string; content?: unknown }>): string {
  const lastUser = messages.filter((message) => message.role === 'user').map((message) => textOf(message.content));
  const prompt = (lastUser.filter((text) => text !== undefined).at(-1) ?? '').slice(0, 500);
  return prompt !== '' ? `This is the NanoGPT mock. You said: "${prompt}"` : 'This is the NanoGPT mock. Send a user message and I will echo it.';
}

/** A rough token count: four characters a token. */
export const tokenCount = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/** The pieces a streamed answer arrives in: one word (with its trailing space) a chunk. */
export const streamPieces = (text: string): string[] => text.match(/\S+\s*/g) ?? [text];
