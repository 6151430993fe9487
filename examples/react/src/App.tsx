import '@nanogpt-signin/button';
import type { NanoGptSigninButton } from '@nanogpt-signin/button';
import { maskKey } from '@nanogpt-signin/core';
import { useEffect, useState, type DetailedHTMLProps, type HTMLAttributes } from 'react';
import { auth } from './auth.js';
import { useNanoGptAuth } from './useNanoGptAuth.js';

// React 19 sets `auth` on the element as a property (custom elements get properties when they have one).
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'nanogpt-signin-button': DetailedHTMLProps<HTMLAttributes<NanoGptSigninButton>, NanoGptSigninButton> & {
        auth?: NanoGptSigninButton['auth'];
        mode?: 'redirect' | 'popup';
        theme?: 'dark' | 'light' | 'auto';
      };
    }
  }
}

export function App() {
  const { status, key, error } = useNanoGptAuth(auth);
  const [models, setModels] = useState<string[]>([]);

  useEffect(() => {
    if (!key) return setModels([]);
    let current = true;
    void auth
      .fetch('/api/v1/models')
      .then((response) => response.json() as Promise<{ data: { id: string }[] }>)
      .then(({ data }) => current && setModels(data.map((model) => model.id)));
    return () => void (current = false);
  }, [key]);

  return (
    <main>
      <h1>Sign in with NanoGPT · React</h1>
      <nanogpt-signin-button auth={auth} theme="auto" />
      <p role="status">{key ? `Signed in as ${maskKey(key)}` : status === 'signing-in' ? 'Signing in…' : error ? error.message : 'Signed out'}</p>
      {key && (
        <ul aria-label="Models">
          {models.map((model) => (
            <li key={model}>{model}</li>
          ))}
        </ul>
      )}
    </main>
  );
}
