import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The page's URL is the OAuth redirect URI: a loopback one needs a fixed port.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5174, strictPort: true },
});
