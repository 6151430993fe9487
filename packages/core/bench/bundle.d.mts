/** See bundle.mjs. */
export function bundleForBrowser(contents: string): Promise<Uint8Array>;
