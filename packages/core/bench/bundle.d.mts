/** See bundle.mjs. */
export function bundleForBrowser(contents: string, options?: { external?: string[] }): Promise<Uint8Array>;
