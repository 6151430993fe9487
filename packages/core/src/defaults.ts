/** NanoGPT's production origin: the issuer when none is given. */
export const DEFAULT_ISSUER = 'https://nano-gpt.com';

/** The default and recommended scope. */
export const DEFAULT_SCOPE = 'api.use models.read';
