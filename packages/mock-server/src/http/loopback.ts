/**
 * The loopback host names, as `URL#hostname` spells them: where the mock allows plain-http
 * redirect URIs (RFC 8252) and which aliases of a loopback issuer its test controls answer.
 * Deliberately not core's `isLoopbackHost`: the server's rules must not come from the client's
 * code, or a wrong rule in core would pass the tests that should catch it.
 */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];
