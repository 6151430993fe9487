// The peers our bundle size is measured against: for each, the smallest sign-in an app would
// really write with that library (build the authorization URL with PKCE, navigate, and on
// return handle the callback and exchange the code), bundled exactly like our own entries.
// The libraries are pinned as exact versions in ./package.json (a bench-only workspace package),
// so a figure always belongs to a known version. Every entry is one bundle holding both the
// sign-in and the callback handling, as our own entries do.

/**
 * @typedef {object} PeerEntry
 * @property {string} name        what is measured, as printed in the table
 * @property {string} library     the npm package (its version is read from its package.json)
 * @property {'redirect' | 'popup'} flow
 * @property {string} source      the app's entry module
 */

/** @type {PeerEntry[]} */
export const peers = [
  {
    name: '@badgateway/oauth2-client',
    library: '@badgateway/oauth2-client',
    flow: 'redirect',
    // OAuth2Client with static endpoints (no discovery, like our default flow); the library does
    // not keep the verifier or state, so the app stores them across the redirect itself.
    source: `
import { OAuth2Client, generateCodeVerifier } from '@badgateway/oauth2-client';
const client = new OAuth2Client({ server: 'https://auth.example.com/', clientId: 'demo', authorizationEndpoint: '/authorize', tokenEndpoint: '/token' });
const redirectUri = location.origin + '/';
document.querySelector('#sign-in').onclick = async () => {
  const codeVerifier = await generateCodeVerifier();
  const state = crypto.randomUUID();
  sessionStorage.setItem('pkce', JSON.stringify({ codeVerifier, state }));
  location.href = await client.authorizationCode.getAuthorizeUri({ redirectUri, state, codeVerifier, scope: ['api'] });
};
const pending = sessionStorage.getItem('pkce');
if (pending && new URLSearchParams(location.search).has('code')) {
  sessionStorage.removeItem('pkce');
  const { codeVerifier, state } = JSON.parse(pending);
  client.authorizationCode.getTokenFromCodeRedirect(location.href, { redirectUri, state, codeVerifier })
    .then((token) => { document.body.dataset.key = token.accessToken; });
}
`,
  },
  {
    name: 'oauth4webapi code flow',
    library: 'oauth4webapi',
    flow: 'redirect',
    // The code-flow functions over static server metadata (no discovery, like our default flow):
    // verifier, S256 challenge, state; then validateAuthResponse, the token request and its checks.
    source: `
import * as oauth from 'oauth4webapi';
const as = { issuer: 'https://auth.example.com', authorization_endpoint: 'https://auth.example.com/authorize', token_endpoint: 'https://auth.example.com/token' };
const client = { client_id: 'demo' };
const redirectUri = location.origin + '/';
document.querySelector('#sign-in').onclick = async () => {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem('pkce', JSON.stringify({ codeVerifier, state }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, scope: 'api', state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256' }).toString();
  location.href = url.href;
};
const pending = sessionStorage.getItem('pkce');
if (pending && new URLSearchParams(location.search).has('code')) {
  sessionStorage.removeItem('pkce');
  const { codeVerifier, state } = JSON.parse(pending);
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), state);
  oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, codeVerifier)
    .then((response) => oauth.processAuthorizationCodeResponse(as, client, response))
    .then((tokens) => { document.body.dataset.key = tokens.access_token; });
}
`,
  },
  {
    name: 'oidc-client-ts UserManager',
    library: 'oidc-client-ts',
    flow: 'redirect',
    // UserManager, not the lower-level OidcClient: it is what the library's README and samples
    // lead an app to (it keeps the state and the user for the app). signinRedirectCallback on return.
    source: `
import { UserManager } from 'oidc-client-ts';
const manager = new UserManager({ authority: 'https://auth.example.com', client_id: 'demo', redirect_uri: location.origin + '/', scope: 'openid api' });
document.querySelector('#sign-in').onclick = () => manager.signinRedirect();
if (new URLSearchParams(location.search).has('code'))
  manager.signinRedirectCallback().then((user) => { document.body.dataset.key = user.access_token; });
`,
  },
  {
    name: '@auth0/auth0-spa-js',
    library: '@auth0/auth0-spa-js',
    flow: 'redirect',
    source: `
import { createAuth0Client } from '@auth0/auth0-spa-js';
const auth0 = await createAuth0Client({ domain: 'auth.example.com', clientId: 'demo', authorizationParams: { redirect_uri: location.origin + '/' } });
document.querySelector('#sign-in').onclick = () => auth0.loginWithRedirect();
if (new URLSearchParams(location.search).has('code')) {
  await auth0.handleRedirectCallback();
  document.body.dataset.key = await auth0.getTokenSilently();
}
`,
  },
  {
    name: '@huggingface/hub OAuth helpers',
    library: '@huggingface/hub',
    flow: 'redirect',
    // Its two OAuth helpers, as in their documentation: oauthLoginUrl keeps the verifier and nonce
    // in localStorage, oauthHandleRedirectIfPresent exchanges the code when the URL has one.
    source: `
import { oauthLoginUrl, oauthHandleRedirectIfPresent } from '@huggingface/hub';
document.querySelector('#sign-in').onclick = async () => { location.href = await oauthLoginUrl({ clientId: 'demo', scopes: 'openid profile' }); };
oauthHandleRedirectIfPresent().then((result) => { if (result) document.body.dataset.key = result.accessToken; });
`,
  },
  {
    name: 'oidc-client-ts UserManager, opener + callback',
    library: 'oidc-client-ts',
    flow: 'popup',
    // UserManager.signinPopup in the opener and signinPopupCallback in the popup, one bundle: the
    // app serves its popup callback route from the same script (a separate callback page would
    // ship its own UserManager bundle on top; see the next row).
    source: `
import { UserManager } from 'oidc-client-ts';
const manager = new UserManager({ authority: 'https://auth.example.com', client_id: 'demo', redirect_uri: location.origin + '/', popup_redirect_uri: location.origin + '/popup-callback', scope: 'openid api' });
if (location.pathname === '/popup-callback') manager.signinPopupCallback();
else document.querySelector('#sign-in').onclick = () => manager.signinPopup().then((user) => { document.body.dataset.key = user.access_token; });
`,
  },
  {
    name: 'oidc-client-ts UserManager, callback page alone',
    library: 'oidc-client-ts',
    flow: 'popup',
    // What a separate popup callback page ships: a UserManager to call signinPopupCallback.
    source: `
import { UserManager } from 'oidc-client-ts';
new UserManager({ authority: 'https://auth.example.com', client_id: 'demo', redirect_uri: location.origin + '/popup-callback' }).signinPopupCallback();
`,
  },
  {
    name: '@huggingface/hub OAuth helpers, app-made popup',
    library: '@huggingface/hub',
    flow: 'popup',
    // Its OAuth helpers have no popup, so the app makes one: it opens oauthLoginUrl in a window
    // whose page (the same origin, so the same localStorage verifier) runs
    // oauthHandleRedirectIfPresent and posts the result back to the opener.
    source: `
import { oauthLoginUrl, oauthHandleRedirectIfPresent } from '@huggingface/hub';
const popupUrl = location.origin + '/popup-callback';
if (location.pathname === '/popup-callback') {
  oauthHandleRedirectIfPresent().then((result) => { if (result) opener.postMessage({ accessToken: result.accessToken }, location.origin); close(); });
} else {
  document.querySelector('#sign-in').onclick = async () => {
    const popup = open('about:blank', 'sign-in', 'popup,width=500,height=700');
    popup.location.href = await oauthLoginUrl({ clientId: 'demo', scopes: 'openid profile', redirectUrl: popupUrl });
  };
  addEventListener('message', (event) => { if (event.origin === location.origin && event.data.accessToken) document.body.dataset.key = event.data.accessToken; });
}
`,
  },
];
