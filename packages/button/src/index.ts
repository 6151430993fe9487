/**
 * `<nanogpt-signin-button>`: a "Sign in with NanoGPT" button as a custom element. Importing this
 * module defines the element once; where there is no DOM (server-side rendering) it does nothing.
 * @packageDocumentation
 */
import {
  createNanoGptAuth,
  maskKey,
  tabSync,
  type AuthState,
  type Flow,
  type NanoGptAuth,
  type NanoGptAuthError,
  type NanoGptAuthErrorCode,
} from '@nanogpt-signin/core';
import { handlePopupCallback, signInWithPopup } from '@nanogpt-signin/core/popup';

/** The element's tag name. */
export const TAG_NAME = 'nanogpt-signin-button';

/** `detail` of the `nanogpt-signin` event: never the key itself (read it from `element.auth`). */
export interface SignInEventDetail {
  scope: string;
  /** `sk-nano-…1a2b` */
  maskedKey: string;
}

/** `detail` of the `nanogpt-error` event. Cancel the event to show the error yourself. */
export interface ErrorEventDetail {
  code: NanoGptAuthErrorCode;
}

// The standard flow (oauth4webapi) loads only when flow="standard" signs in: bundlers split it off.
const loadStandardFlow = () => import('@nanogpt-signin/core/standard').then((module) => module.standardFlow);
const standardFlow: Flow = {
  id: 'standard',
  authorize: async (params) => (await loadStandardFlow()).authorize(params),
  exchange: async (params) => (await loadStandardFlow()).exchange(params),
};

// What the button says for the errors a user meets; any other error shows its own message.
const MESSAGES: Partial<Record<NanoGptAuthErrorCode, string>> = {
  access_denied: 'Sign-in cancelled.',
  popup_closed: 'Sign-in window closed.',
  network_error: 'Could not reach NanoGPT.',
  rate_limited: 'Too many attempts.',
  flow_expired: 'Sign-in expired.',
  invalid_grant: 'Sign-in expired.',
};

const STYLE = `:host{display:inline-block;min-width:var(--nanogpt-signin-min-width,16rem);font:var(--nanogpt-signin-font,600 1rem/1.2 system-ui,sans-serif);--h:2.75rem;--bg:var(--nanogpt-signin-background,#111318);--fg:var(--nanogpt-signin-color,#fff);--line:var(--nanogpt-signin-border,#ffffff26)}
:host([size=small]){--h:2.25rem;font-size:.875rem}:host([size=large]){--h:3.25rem;font-size:1.125rem}
:host([theme=light]){--bg:var(--nanogpt-signin-background,#fff);--fg:var(--nanogpt-signin-color,#111318);--line:var(--nanogpt-signin-border,#d5d8de)}
@media (prefers-color-scheme:light){:host([theme=auto]){--bg:var(--nanogpt-signin-background,#fff);--fg:var(--nanogpt-signin-color,#111318);--line:var(--nanogpt-signin-border,#d5d8de)}}
[hidden]{display:none!important}div{display:flex;gap:.5rem;align-items:center;min-height:var(--h)}
button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:var(--nanogpt-signin-radius,.625rem);min-height:var(--h);padding:0 1rem;display:inline-flex;align-items:center;justify-content:center;gap:.625rem;cursor:pointer}
[part=button]{flex:1}button:focus-visible{outline:3px solid var(--nanogpt-signin-focus,#8b6cff);outline-offset:2px}[aria-disabled=true]{cursor:progress;opacity:.8}
[part=mark]{width:1.25rem;height:1.25rem;border-radius:.3rem;flex:none;background:linear-gradient(var(--bg) 0 0) center/.45rem .45rem no-repeat,conic-gradient(from 210deg,#9b7bff,#6d4aff,#2bb3ff,#9b7bff)}
[aria-busy=true] [part=mark]{animation:s .9s linear infinite}@keyframes s{to{transform:rotate(1turn)}}@media (prefers-reduced-motion:reduce){[part=mark]{animation:none!important}}
[part=key],[part=message]{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font:500 .9em ui-monospace,monospace}[part=message]{font-family:inherit;flex:0 1 auto}
[part=status]{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}`;

const Base = (typeof HTMLElement === 'undefined' ? class {} : HTMLElement) as typeof HTMLElement;

/**
 * `<nanogpt-signin-button client-name="My App">`. Attributes: `issuer`, `client-name`, `scope`,
 * `flow` (`shortcut` | `standard`), `mode` (`redirect` | `popup`), `theme` (`dark` | `light` |
 * `auto`), `size` (`small` | `medium` | `large`), `redirect-uri`, `share-across-tabs`. Events
 * (bubbling, composed): `nanogpt-signin`, `nanogpt-signout`, `nanogpt-error` (cancelable). The
 * client is `element.auth`: the element makes one from its attributes, or uses the one you assign.
 */
export class NanoGptSigninButton extends Base {
  static observedAttributes = ['issuer', 'client-name', 'scope', 'flow', 'redirect-uri', 'share-across-tabs'];

  #client: NanoGptAuth | undefined;
  #ownClient = false;
  #unsubscribe: (() => void) | undefined;
  #working = false;
  #error: NanoGptAuthError | null = null;
  #retryAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #signedInKey: string | null | undefined;
  #shown: NanoGptAuthError | null = null;
  #parts: Record<'main' | 'label' | 'key' | 'signOut' | 'message' | 'status', HTMLElement> | undefined;

  /** The sign-in client (from `@nanogpt-signin/core`): read the key with `element.auth.getKey()`. */
  get auth(): NanoGptAuth {
    if (!this.#client) {
      this.#ownClient = true;
      this.#client = createNanoGptAuth({
        issuer: this.#attribute('issuer'),
        clientName: this.#attribute('client-name'),
        scope: this.#attribute('scope'),
        redirectUri: this.#attribute('redirect-uri'),
        flow: this.getAttribute('flow') === 'standard' ? standardFlow : undefined,
        tabs: tabSync({ shareAcrossTabs: this.hasAttribute('share-across-tabs') }),
      });
    }
    return this.#client;
  }

  /** Use your own client (its options then win over the attributes). */
  set auth(client: NanoGptAuth) {
    this.#client = client;
    this.#ownClient = false;
    this.#error = null; // the previous client's error is not this one's
    if (this.isConnected) this.#connect();
  }

  connectedCallback(): void {
    if (!this.#parts) this.#build();
    // A microtask later, so that `element.auth = …` right after creating the element comes first.
    queueMicrotask(() => this.isConnected && !this.#unsubscribe && this.#connect());
    addEventListener('pageshow', this.#onPageShow);
  }

  disconnectedCallback(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    removeEventListener('pageshow', this.#onPageShow);
  }

  attributeChangedCallback(): void {
    // A client made from the attributes is made again from the new ones.
    if (!this.#ownClient) return;
    this.#client = undefined;
    this.#error = null; // it may have been about the old attributes (an issuer that was not https)
    if (this.#unsubscribe) this.#connect();
  }

  /** Signs in (redirect, or popup with `mode="popup"`, falling back to a redirect when the popup is blocked). */
  async signIn(): Promise<void> {
    if (this.#working || Date.now() < this.#retryAt) return;
    this.#working = true;
    this.#error = null;
    this.#render();
    try {
      if (this.getAttribute('mode') === 'popup') {
        try {
          await signInWithPopup(this.auth);
          this.#working = false;
        } catch (error) {
          if ((error as NanoGptAuthError).code !== 'popup_blocked') throw error;
          await this.auth.signIn(); // the page navigates; the button stays busy until it does
        }
      } else await this.auth.signIn();
    } catch (error) {
      this.#working = false;
      this.#fail(error as NanoGptAuthError);
    }
    this.#render();
  }

  /** Signs out (every tab of the app, when the client syncs tabs). The key stays valid at NanoGPT until revoked there. */
  signOut(): void {
    this.#error = null;
    this.auth.signOut();
  }

  #attribute = (name: string) => this.getAttribute(name) || undefined;

  #onPageShow = (event: PageTransitionEvent) => {
    // Back from NanoGPT through the back/forward cache: the sign-in did not happen.
    if (event.persisted) {
      this.#working = false;
      this.#render();
    }
  };

  #connect(): void {
    this.#unsubscribe?.();
    try {
      const client = this.auth;
      this.#unsubscribe = client.subscribe((state) => this.#update(state));
      void client.init();
    } catch (error) {
      this.#unsubscribe = () => {};
      this.#fail(error as NanoGptAuthError); // e.g. an issuer that is not https
    }
  }

  #update(state: AuthState): void {
    const { key, scope } = state;
    const previous = this.#signedInKey;
    this.#signedInKey = key;
    // Also on load when a session is restored (previous undefined), never on a first signed-out state.
    if (key && key !== previous) this.#emit('nanogpt-signin', { scope: scope as string, maskedKey: maskKey(key) } satisfies SignInEventDetail);
    else if (!key && previous) this.#emit('nanogpt-signout', null);
    if (key) this.#error = null;
    if (state.error) this.#fail(state.error);
    this.#render();
  }

  #fail(error: NanoGptAuthError): void {
    if (this.#shown === error) return;
    this.#shown = error;
    // The app may show the error itself (cancel the event); the button then stays as it was.
    if (!this.#emit('nanogpt-error', { code: error.code } satisfies ErrorEventDetail, true)) return;
    this.#error = error;
    const wait = error.code === 'rate_limited' ? (error.retryAfter ?? 0) : 0;
    this.#retryAt = Date.now() + wait * 1000;
    this.#render();
  }

  #emit(type: string, detail: SignInEventDetail | ErrorEventDetail | null, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  #build(): void {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style><div><button part="button" type="button"><span part="mark" aria-hidden="true"></span><span part="label"></span></button><span part="message"></span><span part="key"></span><button part="sign-out" type="button">Sign out</button><span part="status" role="status" aria-live="polite"></span></div>`;
    const part = (name: string) => root.querySelector(`[part=${name}]`) as HTMLElement;
    this.#parts = { main: part('button'), label: part('label'), key: part('key'), signOut: part('sign-out'), message: part('message'), status: part('status') };
    this.#parts.main.onclick = () => void this.signIn();
    this.#parts.signOut.onclick = () => this.signOut();
    this.#render();
  }

  #render(): void {
    const parts = this.#parts;
    if (!parts) return;
    const hadFocus = !!this.shadowRoot?.activeElement;
    const key = this.#client?.getState().key;
    const working = this.#working || this.#client?.getState().status === 'signing-in';
    const error = !working && !key && this.#error;
    const waitSeconds = Math.ceil((this.#retryAt - Date.now()) / 1000);
    clearTimeout(this.#timer);
    if (error && waitSeconds > 0) this.#timer = setTimeout(() => this.#render(), 1000);
    const message = error ? MESSAGES[error.code] || error.message : '';
    const label = working ? 'Signing in…' : error ? (waitSeconds > 0 ? `Try again in ${waitSeconds} s` : 'Try again') : 'Sign in with NanoGPT';
    parts.main.hidden = !!key;
    parts.main.setAttribute('aria-busy', String(working));
    parts.main.setAttribute('aria-disabled', String(working || waitSeconds > 0));
    parts.label.textContent = label;
    parts.message.hidden = !error;
    parts.message.textContent = message;
    parts.message.title = message;
    parts.key.hidden = parts.signOut.hidden = !key;
    parts.key.textContent = key ? maskKey(key) : '';
    parts.status.textContent = key ? `Signed in as ${maskKey(key)}` : working ? 'Signing in…' : error ? message : '';
    // Keep the keyboard where it was when the control it was on goes away.
    if (hadFocus && !this.shadowRoot?.activeElement) (key ? parts.signOut : parts.main).focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'nanogpt-signin-button': NanoGptSigninButton;
  }
  interface HTMLElementEventMap {
    'nanogpt-signin': CustomEvent<SignInEventDetail>;
    'nanogpt-signout': CustomEvent<null>;
    'nanogpt-error': CustomEvent<ErrorEventDetail>;
  }
}

if (typeof customElements !== 'undefined' && !customElements.get(TAG_NAME)) {
  // In the sign-in popup, this page only hands the callback back to the page that opened it.
  handlePopupCallback();
  customElements.define(TAG_NAME, NanoGptSigninButton);
}
