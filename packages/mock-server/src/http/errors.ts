export interface HttpErrorOptions {
  headers?: Record<string, string>;
  extra?: Record<string, unknown>;
  /** OpenAI envelope only: `error.type` (default from the status) and `error.param`. */
  type?: string;
  param?: string;
  /** An answer body of its own, sent as it is in place of either shape (402 has one, spec §2). */
  body?: Record<string, unknown>;
}

/**
 * An error handlers throw; the server answers it as JSON in the shape of the endpoint (spec §2):
 * the flat OAuth `{ error, error_description }`, or on `/api/v1/*` API endpoints the OpenAI
 * envelope `{ error: { message, type, code, param } }` with `error` as the code.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;
  readonly type: string | undefined;
  readonly param: string | undefined;
  readonly body: Record<string, unknown> | undefined;
  constructor(status: number, error: string, description: string, options: HttpErrorOptions = {}) {
    super(description);
    this.name = 'HttpError';
    this.status = status;
    this.error = error;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
    this.type = options.type;
    this.param = options.param;
    this.body = options.body;
  }
}

export const invalidRequest = (description: string): HttpError =>
  new HttpError(400, 'invalid_request', description);

/** 429 with the seconds to wait in `Retry-After`; `code` names the limit (default the throughput limit). */
export const tooManyRequests = (description: string, retryAfterSeconds: number, code = 'rate_limit_exceeded'): HttpError =>
  new HttpError(429, code, description, { headers: { 'retry-after': String(retryAfterSeconds) } });
