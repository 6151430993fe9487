const NANO_GPT_KEY = /^(sk-nano-)?[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;

/** True when `value` is a NanoGPT API key: `sk-nano-<uuid>` or a legacy bare UUID. */
export const isNanoGptKey = (value: unknown): value is string => typeof value === 'string' && NANO_GPT_KEY.test(value);

/**
 * Masks a key for display: `sk-nano-…1a2b` (bare UUIDs: `…1a2b`). Reveals at most the last 4
 * characters, and none of a value that is not a NanoGPT key.
 */
export const maskKey = (key: string): string =>
  isNanoGptKey(key) ? (/^sk-nano-/i.test(key) ? 'sk-nano-…' : '…') + key.slice(-4) : '…';
