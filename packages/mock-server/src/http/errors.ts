/**
 * An error answered as JSON `{ error, error_description }` (the shape of every NanoGPT and
 * OAuth error). Handlers throw it; the server turns it into a response.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly error: string;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;
  constructor(
    status: number,
    error: string,
    description: string,
    options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(description);
    this.name = 'HttpError';
    this.status = status;
    this.error = error;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }
}

export const invalidRequest = (description: string): HttpError =>
  new HttpError(400, 'invalid_request', description);

/** 429 with the seconds to wait in `Retry-After`. */
export const tooManyRequests = (description: string, retryAfterSeconds: number): HttpError =>
  new HttpError(429, 'rate_limit_exceeded', description, { headers: { 'retry-after': String(retryAfterSeconds) } });
