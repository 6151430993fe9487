// element.html: the button on its own, configured only by attributes; it shows its own states and errors.
import '@nanogpt-signin/button';

const issuer = import.meta.env.VITE_NANOGPT_ISSUER || 'http://127.0.0.1:4010';
const button = document.querySelector('nanogpt-signin-button')!;
button.setAttribute('issuer', issuer);
const params = new URLSearchParams(location.search);
for (const name of ['mode', 'flow', 'share-across-tabs'] as const) {
  const value = params.get(name);
  if (value !== null) button.setAttribute(name, value);
}
