import { defineConfig } from 'vite';

// The page's own URL is the OAuth redirect URI. Loopback redirect URIs need an
// explicit port, so always serve on 127.0.0.1 and fail instead of moving ports.
export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  // Two pages: the demo (index.html) and the element on its own (element.html).
  build: { rollupOptions: { input: ['index.html', 'element.html'] } },
});
