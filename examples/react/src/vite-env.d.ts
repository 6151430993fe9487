interface ImportMetaEnv {
  /** Where to sign in: the local mock by default, https://nano-gpt.com for real. */
  readonly VITE_NANOGPT_ISSUER?: string;
}
