import type { Clock } from '../clock.js';
import { randomToken } from '../random.js';

export interface Client {
  clientId: string;
  clientName: string;
  /** Registered redirect URIs, as sent, and their canonical comparison forms. */
  redirectUris: string[];
  canonicalRedirects: string[];
  kind: 'registered' | 'callback';
  metadata: Record<string, unknown>;
  createdAt: number;
}

export type NewClient = Pick<Client, 'clientName' | 'redirectUris' | 'canonicalRedirects' | 'metadata'>;

/** A redirect as the client sent it and in its comparison form. */
export interface CallbackRedirect {
  uri: string;
  canonical: string;
}

/** Clients registered by RFC 7591, and the internal clients behind the shortcut and downstream flows. */
export class ClientStore {
  private readonly registered = new Map<string, Client>();
  /** Internal clients, by callback URL + display name. */
  private readonly callbacks = new Map<string, Client>();

  constructor(private readonly clock: Clock) {}

  /** Register a public client (its id is `ngpt_…`; no secret, ever). */
  register(input: NewClient): Client {
    const client: Client = { ...input, clientId: `ngpt_${randomToken(16)}`, kind: 'registered', createdAt: this.clock.now() };
    this.registered.set(client.clientId, client);
    return client;
  }

  /** A registered client; internal clients are never found by id. */
  findRegistered(clientId: string): Client | undefined {
    return this.registered.get(clientId);
  }

  /**
   * The internal client behind a shortcut (/auth) or downstream-code flow: one per callback URL +
   * display name, created on first use and reused afterwards (spec §6).
   */
  forCallback(redirect: CallbackRedirect, clientName: string): Client {
    const id = `${redirect.canonical}\n${clientName}`;
    let client = this.callbacks.get(id);
    if (client === undefined) {
      client = {
        clientId: `ngpt_callback_${randomToken(12)}`,
        clientName,
        redirectUris: [redirect.uri],
        canonicalRedirects: [redirect.canonical],
        kind: 'callback',
        metadata: {},
        createdAt: this.clock.now(),
      };
      this.callbacks.set(id, client);
    }
    return client;
  }

  get registeredCount(): number {
    return this.registered.size;
  }

  get callbackCount(): number {
    return this.callbacks.size;
  }

  clear(): void {
    this.registered.clear();
    this.callbacks.clear();
  }
}
