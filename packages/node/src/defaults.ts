/** The client name a sign-in uses when the caller gives none (consent screen, the key's name). */
export const DEFAULT_CLIENT_NAME = 'nanogpt-login';

/** How long a loopback redirect is waited for: the browser sign-in, a handed-off key code. */
export const DEFAULT_LOOPBACK_TIMEOUT_MS = 5 * 60 * 1000;
