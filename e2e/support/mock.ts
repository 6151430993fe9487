/** The mock server's /__mock/ test controls (keys travel in bodies, never in URLs). */
export interface Counters {
  codesIssued: number;
  codesRedeemed: number;
  tokenRequests: number;
  keysMinted: number;
  deviceLoginsStarted: number;
  apiRequests: number;
}

export interface KeyInfo {
  id: string;
  name: string;
  kind: string;
  scope: string;
  allowedOrigins: string[];
  revoked: boolean;
  maskedKey: string;
}

export interface PendingConsent {
  id: string;
  flow: 'authorize' | 'shortcut' | 'device';
  clientName: string;
  redirectUri: string;
  scope: string;
}

export class MockControls {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.url), {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`mock ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  reset(): Promise<{ ok: true }> { return this.call('POST', '/__mock/reset'); }
  counters(): Promise<Counters> { return this.call('GET', '/__mock/counters'); }
  async keys(): Promise<KeyInfo[]> { return (await this.call<{ keys: KeyInfo[] }>('GET', '/__mock/keys')).keys; }
  inspect(key: string): Promise<KeyInfo> { return this.call('POST', '/__mock/keys/inspect', { key }); }
  revoke(key: string): Promise<{ ok: true }> { return this.call('POST', '/__mock/keys/revoke', { key }); }
  setOrigins(key: string, origins: string[]): Promise<{ ok: true }> {
    return this.call('POST', '/__mock/keys/origins', { key, origins });
  }
  rateLimit(perSecond: number | null): Promise<{ ok: true }> { return this.call('POST', '/__mock/rate-limit', { perSecond }); }
  advanceClock(advanceSeconds: number): Promise<{ now: string }> { return this.call('POST', '/__mock/clock', { advanceSeconds }); }
  async pendingConsents(): Promise<PendingConsent[]> {
    return (await this.call<{ consents: PendingConsent[] }>('GET', '/__mock/pending')).consents;
  }
  /** Approves the newest pending consent; answers where the browser would be redirected. */
  async approve(): Promise<string> { return (await this.call<{ location: string }>('POST', '/__mock/consents/approve', {})).location; }
  async deny(): Promise<string> { return (await this.call<{ location: string }>('POST', '/__mock/consents/deny', {})).location; }
}
