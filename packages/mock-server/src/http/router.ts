import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MockState } from '../state.js';

export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  state: MockState;
  /** Path without the query (not percent-decoded; routes match exactly). */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
}

export type Handler = (ctx: Context) => void | Promise<void>;
export type Method = 'GET' | 'POST';

/** Exact-path routing: path -> method -> handler. HEAD is served by the GET handler. */
export class Router {
  private readonly routes = new Map<string, Partial<Record<Method, Handler>>>();

  on(method: Method, path: string, handler: Handler): this {
    const entry = this.routes.get(path) ?? {};
    entry[method] = handler;
    this.routes.set(path, entry);
    return this;
  }

  /** `handler` for the request, `'method'` when the path exists with other methods, or null. */
  match(method: string, path: string): Handler | 'method' | null {
    const entry = this.routes.get(path);
    if (entry === undefined) return null;
    const served = method === 'HEAD' ? 'GET' : method;
    return (served === 'GET' || served === 'POST' ? entry[served] : undefined) ?? 'method';
  }

  /** Every routed path with its methods, in registration order. */
  list(): Array<{ path: string; methods: Method[] }> {
    return [...this.routes].map(([path, entry]) => ({ path, methods: Object.keys(entry) as Method[] }));
  }

  allowed(path: string): string {
    const entry = this.routes.get(path) ?? {};
    return Object.keys(entry).join(', ');
  }
}

export function splitUrl(url: string | undefined): { path: string; query: string } {
  const raw = url ?? '/';
  const mark = raw.indexOf('?');
  const path = mark === -1 ? raw : raw.slice(0, mark);
  const query = mark === -1 ? '' : raw.slice(mark + 1);
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}
