/** Stable error codes thrown by the mock server's programmatic API. */
export type MockServerErrorCode = 'invalid_options' | 'listen_failed';

/** Raised by `startMockServer` when it cannot start. */
export class MockServerError extends Error {
  readonly code: MockServerErrorCode;
  constructor(code: MockServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MockServerError';
    this.code = code;
  }
}

/** Stable error codes thrown by `followConsent`. */
export type MockConsentErrorCode =
  /** The server showed its own error page (e.g. an invalid redirect URI). */
  | 'error_page'
  /** The page had no consent form. */
  | 'no_consent_form'
  /** The server answered something a consent flow never answers. */
  | 'unexpected_response';

/** Raised by `followConsent`; `message` is the error text of the server's page. */
export class MockConsentError extends Error {
  readonly code: MockConsentErrorCode;
  /** HTTP status of the page that caused the error. */
  readonly status: number;
  /** The OAuth error code shown on the page (e.g. `invalid_request`), when there is one. */
  readonly error: string | undefined;
  constructor(code: MockConsentErrorCode, message: string, status: number, error?: string) {
    super(message);
    this.name = 'MockConsentError';
    this.code = code;
    this.status = status;
    this.error = error;
  }
}
