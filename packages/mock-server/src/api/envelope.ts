import type { HttpError } from '../http/errors.js';

/** The OAuth endpoints under `/api/v1` keep the flat OAuth error shape (spec §2). */
const OAUTH_ENDPOINTS: ReadonlySet<string> = new Set(['/api/v1/auth/keys', '/api/v1/auth/keys/code']);

/** True for the `/api/v1/*` API endpoints, whose errors use the OpenAI envelope [pub]. */
export function usesOpenAiEnvelope(path: string): boolean {
  return path.startsWith('/api/v1/') && !OAUTH_ENDPOINTS.has(path);
}

/** `error.type` by status, as NanoGPT's Error Handling page lists them [pub]; 402 follows OpenAI. */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  500: 'server_error',
};

/** `{ error: { message, type, code, param } }`; `param` is null when no field is to blame, as in OpenAI's answers. */
export function openAiErrorBody(error: HttpError): Record<string, unknown> {
  return {
    error: {
      message: error.message,
      type: error.type ?? TYPE_BY_STATUS[error.status] ?? 'api_error',
      code: error.error,
      param: error.param ?? null,
    },
    ...error.extra,
  };
}
