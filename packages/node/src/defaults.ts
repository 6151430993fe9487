/** The client name a sign-in uses when the caller gives none (consent screen, the key's name). */
export const DEFAULT_CLIENT_NAME = 'nanogpt-login';

/** How long a loopback redirect is waited for: the browser sign-in, a handed-off key code. */
export const DEFAULT_LOOPBACK_TIMEOUT_MS = 5 * 60 * 1000;

/** How a sign-in URL is announced on stderr (the CLI's line and the functions' default output). */
export const SIGN_IN_URL_PREFIX = 'Open this URL to sign in: ';
