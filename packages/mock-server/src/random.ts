import { randomBytes, randomUUID } from 'node:crypto';

/** An unguessable URL-safe token (`bytes` of entropy). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A NanoGPT API key: `sk-nano-<uuid v4>`. */
export function newApiKey(): string {
  return `sk-nano-${randomUUID()}`;
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A device-login user code like `VS8Q-ZY3Q` (no 0/O/1/I). */
export function newUserCode(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (let index = 0; index < 8; index++) {
    if (index === 4) out += '-';
    out += USER_CODE_ALPHABET[(bytes[index] ?? 0) % USER_CODE_ALPHABET.length];
  }
  return out;
}
