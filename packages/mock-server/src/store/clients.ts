import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { randomToken } from '../random.js';
import { BoundedMap } from './bounded.js';

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

const CALLBACK_PREFIX = 'ngpt_callback_';

/**
 * Clients registered by RFC 7591 (at most `maxRegistered`; the least recently used goes first),
 * and the internal clients behind the shortcut and downstream flows.
 */
export class ClientStore {
  private readonly registered: BoundedMap<string, Client>;
  /** Derives callback client ids; a new one on `clear()`, so a reset forgets every callback client. */
  private callbackSecret = randomBytes(32);

  constructor(
    private readonly clock: Clock,
    maxRegistered: number,
  ) {
    this.registered = new BoundedMap(maxRegistered);
  }

  /** Register a public client (its id is `ngpt_…`; no secret, ever). */
  register(input: NewClient): Client {
    const client: Client = { ...input, clientId: `ngpt_${randomToken(16)}`, kind: 'registered', createdAt: this.clock.now() };
    this.registered.set(client.clientId, client);
    return client;
  }

  /** A registered client (now its most recently used); internal clients are never found by id. */
  findRegistered(clientId: string): Client | undefined {
    return this.registered.touch(clientId);
  }

  /**
   * The internal client behind a shortcut (/auth) or downstream-code flow: one per callback URL +
   * display name, the same on every use (spec §6). It is not stored: its id is derived from the
   * callback and the name, so it lives exactly as long as a consent, code or key refers to it, and
   * unapproved sign-ins cost no memory beyond their consent.
   */
  forCallback(redirect: CallbackRedirect, clientName: string): Client {
    const digest = createHmac('sha256', this.callbackSecret).update(`${redirect.canonical}\n${clientName}`).digest('base64url');
    return {
      clientId: `${CALLBACK_PREFIX}${digest.slice(0, 16)}`,
      clientName,
      redirectUris: [redirect.uri],
      canonicalRedirects: [redirect.canonical],
      kind: 'callback',
      metadata: {},
      createdAt: this.clock.now(),
    };
  }

  /** How many distinct callback clients the client ids of live records name. */
  countCallbackClients(clientIds: Iterable<string | null>): number {
    const seen = new Set<string>();
    for (const clientId of clientIds) if (clientId?.startsWith(CALLBACK_PREFIX)) seen.add(clientId);
    return seen.size;
  }

  get registeredCount(): number {
    return this.registered.size;
  }

  clear(): void {
    this.registered.clear();
    this.callbackSecret = randomBytes(32);
  }
}
