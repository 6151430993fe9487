import { apiError, createNanoGptAuth, maskKey, NanoGptAuthError, type NanoGptAuth } from '@nanogpt-signin/core';
import { standardFlow } from '@nanogpt-signin/core/standard';
import { readChatText } from './chat-stream.js';
import { describeError, describeUsage } from './messages.js';

type FlowName = 'shortcut' | 'standard';
interface Model { id: string; owned_by?: string }

const issuer = import.meta.env.VITE_NANOGPT_ISSUER || 'http://127.0.0.1:4010';
const FLOW_KEY = 'nanogpt-demo.flow'; // the flow choice is not a secret
const el = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  banner: el('banner'), bannerText: el('banner-text'), retry: el('retry'),
  signedOut: el('signed-out'), signIn: el<HTMLButtonElement>('sign-in'), signInLabel: el('sign-in-label'),
  signedIn: el('signed-in'), maskedKey: el('masked-key'), scopes: el('scopes'), usage: el('usage'), models: el('models'),
  chat: el<HTMLFormElement>('chat'), model: el<HTMLSelectElement>('model'), prompt: el<HTMLInputElement>('prompt'),
  send: el<HTMLButtonElement>('send'), answer: el('answer'), signOut: el('sign-out'),
  flows: document.querySelectorAll<HTMLInputElement>('input[name="flow"]'),
};

// One client per flow choice. The same choice must handle the redirect back,
// so it is remembered in sessionStorage across the round trip to NanoGPT.
let flow: FlowName = sessionStorage.getItem(FLOW_KEY) === 'standard' ? 'standard' : 'shortcut';
let auth = createAuth(flow);
let unsubscribe = auth.onChange(render);
let busy = false;
let retryAction: () => void = signIn;

function createAuth(name: FlowName): NanoGptAuth {
  return createNanoGptAuth({
    issuer,
    clientName: 'NanoGPT sign-in demo',
    flow: name === 'standard' ? standardFlow : undefined,
  });
}

function render(): void {
  const key = auth.getKey();
  ui.signedOut.hidden = key !== null;
  ui.signedIn.hidden = key === null;
  ui.signIn.disabled = busy;
  ui.signIn.setAttribute('aria-busy', String(busy));
  ui.signInLabel.textContent = busy ? 'Signing in…' : 'Sign in with NanoGPT';
  for (const radio of ui.flows) {
    radio.checked = radio.value === flow;
    radio.disabled = busy;
  }
  if (key === null) return;
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
  busy = true;
  render();
  try {
    await auth.signIn(); // navigates to NanoGPT's consent page
  } catch (error) {
    busy = false;
    render();
    showError(error, signIn);
  }
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
  try {
    const { data } = (await (await api('/api/v1/models')).json()) as { data: Model[] };
    ui.models.replaceChildren(...data.map((model) => {
      const item = document.createElement('li');
      item.textContent = model.id;
      if (model.owned_by) item.dataset.owner = model.owned_by;
      return item;
    }));
    ui.model.replaceChildren(...data.map((model) => new Option(model.id, model.id)));
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

/** Back from NanoGPT with ?code=…&state=… (or ?error=…): finish the sign-in. */
async function handleCallback(): Promise<void> {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error') && !params.has('state')) return;
  busy = true;
  render();
  try {
    await auth.handleRedirectCallback(); // also takes ?code=…&state=… out of the address bar, even on errors
  } catch (error) {
    showError(error, signIn);
  } finally {
    busy = false;
  }
}

ui.signIn.addEventListener('click', () => void signIn());
ui.retry.addEventListener('click', () => {
  clearError();
  void retryAction();
});
ui.chat.addEventListener('submit', (event) => {
  event.preventDefault();
  void sendChat();
});
ui.signOut.addEventListener('click', () => {
  auth.signOut();
  clearError();
  ui.answer.textContent = '';
});
for (const radio of ui.flows) {
  radio.addEventListener('change', () => {
    flow = radio.value === 'standard' ? 'standard' : 'shortcut';
    sessionStorage.setItem(FLOW_KEY, flow);
    unsubscribe();
    auth = createAuth(flow);
    unsubscribe = auth.onChange(render);
  });
}
el('issuer').textContent = issuer;

await handleCallback();
render();
if (auth.isSignedIn()) await Promise.all([loadUsage(), loadModels()]);
