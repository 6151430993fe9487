import '@nanogpt-signin/button';
import { apiError, createNanoGptAuth, maskKey, NanoGptAuthError, tabSync, type NanoGptAuth } from '@nanogpt-signin/core';
import { standardFlow } from '@nanogpt-signin/core/standard';
import { readChatText } from './chat-stream.js';
import { describeError, describeUsage } from './messages.js';

type FlowName = 'shortcut' | 'standard';
interface Model { id: string; owned_by?: string }

const issuer = import.meta.env.VITE_NANOGPT_ISSUER || 'http://127.0.0.1:4010';
const FLOW_KEY = 'nanogpt-demo.flow'; // the flow choice is not a secret
// Preferences for every tab (not secrets, so localStorage is fine): popup mode, sharing with new tabs.
const POPUP_KEY = 'nanogpt-demo.popup';
const SHARE_KEY = 'nanogpt-demo.share-tabs';
const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  banner: el('banner'), bannerText: el('banner-text'), retry: el('retry'),
  signedOut: el('signed-out'), signIn: el<HTMLElementTagNameMap['nanogpt-signin-button']>('sign-in'),
  signedOutNote: el('signed-out-note'), popupMode: el<HTMLInputElement>('popup-mode'), shareTabs: el<HTMLInputElement>('share-tabs'),
  signedIn: el('signed-in'), maskedKey: el('masked-key'), scopes: el('scopes'), usage: el('usage'), models: el('models'),
  chat: el<HTMLFormElement>('chat'), model: el<HTMLSelectElement>('model'), prompt: el<HTMLInputElement>('prompt'),
  send: el<HTMLButtonElement>('send'), answer: el('answer'), signOut: el('sign-out'),
  flows: document.querySelectorAll<HTMLInputElement>('input[name="flow"]'),
};

// One client per flow choice. The same choice must handle the redirect back,
// so it is remembered in sessionStorage across the round trip to NanoGPT.
let flow: FlowName = sessionStorage.getItem(FLOW_KEY) === 'standard' ? 'standard' : 'shortcut';
ui.popupMode.checked = localStorage.getItem(POPUP_KEY) === '1';
ui.shareTabs.checked = localStorage.getItem(SHARE_KEY) === '1';
let auth = createAuth(flow);
let retryAction: () => void = signIn;
let loadedFor: string | null = null; // the key whose usage and models are shown

function createAuth(name: FlowName): NanoGptAuth {
  return createNanoGptAuth({
    issuer,
    clientName: 'NanoGPT sign-in demo',
    flow: name === 'standard' ? standardFlow : undefined,
    tabs: tabSync({ shareAcrossTabs: ui.shareTabs.checked }),
  });
}

/** The button signs in with this client; the page renders from its state. */
function useAuth(client: NanoGptAuth): () => void {
  auth = client;
  ui.signIn.auth = client;
  return client.subscribe(render);
}

function render(): void {
  const { key, status } = auth.getState();
  ui.signedOut.hidden = key !== null;
  ui.signedIn.hidden = key === null;
  for (const radio of ui.flows) {
    radio.checked = radio.value === flow;
    radio.disabled = status === 'signing-in';
  }
  ui.signIn.setAttribute('mode', ui.popupMode.checked ? 'popup' : 'redirect');
  if (key === null) {
    loadedFor = null;
    return;
  }
  ui.signedOutNote.hidden = true;
  if (loadedFor !== key) {
    // auth.usage() also tells whether a stored key still works (the public model list cannot).
    loadedFor = key;
    void Promise.all([loadUsage(), loadModels()]);
  }
  ui.maskedKey.textContent = maskKey(key); // only ever show the key masked
  ui.scopes.replaceChildren(...(auth.getScope() ?? '').split(' ').filter(Boolean).map((scope) => {
    const chip = document.createElement('span');
    chip.className = 'chip';
    chip.textContent = scope;
    return chip;
  }));
}

function showError(error: unknown, retry: () => void): void {
  ui.bannerText.textContent = describeError(error);
  ui.banner.hidden = false;
  // After a revoked key the user is signed out: "Try again" then means "sign in again".
  retryAction = auth.isSignedIn() ? retry : signIn;
}

function clearError(): void {
  ui.banner.hidden = true;
}

async function signIn(): Promise<void> {
  clearError();
  await ui.signIn.signIn(); // to NanoGPT's consent page (or a popup); failures arrive as nanogpt-error
}

/** Calls the NanoGPT API with the key. The core throws typed errors for 401/402/403/429; `apiError` types the rest. */
async function api(path: string, init?: RequestInit): Promise<Response> {
  const response = await auth.fetch(path, init);
  if (!response.ok) throw await apiError(response);
  return response;
}

/**
 * What the key spent in the last 30 days, from `auth.usage()`: also how the demo learns that a
 * stored key still works (a revoked one is `session_expired`: the core drops it and we show why).
 * The model list cannot tell: it is public and answers 200 for any key.
 */
async function loadUsage(): Promise<void> {
  ui.usage.setAttribute('aria-busy', 'true');
  try {
    const { totals } = await auth.usage();
    ui.usage.textContent = describeUsage(totals);
  } catch (error) {
    ui.usage.textContent = '—';
    showError(error, loadUsage);
  } finally {
    ui.usage.setAttribute('aria-busy', 'false');
  }
}

async function loadModels(): Promise<void> {
  ui.models.setAttribute('aria-busy', 'true');
  ui.models.replaceChildren(Object.assign(document.createElement('li'), { className: 'loading', textContent: 'Loading models…' }));
  ui.model.replaceChildren(new Option('Loading models…'));
  ui.model.disabled = ui.send.disabled = true;
  try {
    const { data } = (await (await api('/api/v1/models')).json()) as { data: Model[] };
    ui.models.replaceChildren(...data.map((model) => {
      const item = document.createElement('li');
      item.textContent = model.id;
      if (model.owned_by) item.dataset.owner = model.owned_by;
      return item;
    }));
    ui.model.replaceChildren(...data.map((model) => new Option(model.id, model.id)));
    ui.model.disabled = ui.send.disabled = false; // Send waits for a model to send to
  } catch (error) {
    showError(error, loadModels);
  } finally {
    ui.models.setAttribute('aria-busy', 'false');
  }
}

/** Streams the answer into the page as it arrives (`stream: true`, server-sent events). */
async function sendChat(): Promise<void> {
  const content = ui.prompt.value.trim();
  if (!content) return;
  clearError();
  ui.send.disabled = true;
  ui.answer.textContent = '…';
  ui.answer.setAttribute('aria-busy', 'true');
  let answered = false;
  try {
    const response = await api('/api/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify({ model: ui.model.value, messages: [{ role: 'user', content }], stream: true }),
    });
    ui.answer.textContent = '';
    for await (const text of readChatText(response)) {
      ui.answer.textContent += text;
      answered = true;
    }
  } catch (error) {
    if (!answered) ui.answer.textContent = ''; // keep what already arrived when a stream breaks off
    showError(error, sendChat);
  } finally {
    ui.send.disabled = false;
    ui.answer.setAttribute('aria-busy', 'false');
    if (auth.isSignedIn()) void refreshUsage();
  }
}

/** After a chat: the spend shown grows with it (errors here would only repeat the chat's banner). */
async function refreshUsage(): Promise<void> {
  try {
    ui.usage.textContent = describeUsage((await auth.usage()).totals);
  } catch (error) {
    if (error instanceof NanoGptAuthError && error.code === 'session_expired') showError(error, signIn);
  }
}

// The button finishes a sign-in coming back from NanoGPT (it takes ?code=…&state=… out of the
// address bar, even on errors) and reports failures; the page shows them in its banner instead.
ui.signIn.addEventListener('nanogpt-error', (event) => {
  event.preventDefault();
  const { error } = auth.getState();
  showError(error?.code === event.detail.code ? error : new NanoGptAuthError(event.detail.code), signIn);
});
ui.signIn.addEventListener('nanogpt-signin', clearError);
ui.retry.addEventListener('click', () => {
  clearError();
  void retryAction();
});
ui.chat.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendChat();
});
ui.signOut.addEventListener('click', () => {
  auth.signOut(); // every tab of the demo signs out (tabSync)
  clearError();
  ui.answer.textContent = '';
  ui.signedOutNote.hidden = false;
});
let unsubscribe = useAuth(auth);
for (const radio of ui.flows) {
  radio.addEventListener('change', () => {
    flow = radio.value === 'standard' ? 'standard' : 'shortcut';
    sessionStorage.setItem(FLOW_KEY, flow);
    unsubscribe();
    unsubscribe = useAuth(createAuth(flow));
  });
}
ui.popupMode.addEventListener('change', () => {
  localStorage.setItem(POPUP_KEY, ui.popupMode.checked ? '1' : '0');
  render();
});
ui.shareTabs.addEventListener('change', () => {
  localStorage.setItem(SHARE_KEY, ui.shareTabs.checked ? '1' : '0');
  unsubscribe();
  unsubscribe = useAuth(createAuth(flow));
});
el('issuer').textContent = issuer;
