import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app. `vite` serves it with hot reload on :5173 and proxies the API, the WebSocket and the
 * health routes to the gateway (GATEWAY_URL, default http://127.0.0.1:8000), so the browser sees one
 * origin as in production; `vite build` writes dist/, which the gateway serves at `/`.
 */
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@parley/contracts': new URL('../../libs/contracts/src/index.ts', import.meta.url).pathname },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: gateway, changeOrigin: false },
      '/health': { target: gateway },
      '/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
    },
  },
});
