import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** The `joinery serve` address the dev server forwards API calls to (`joinery serve --port 8765`). */
const API_TARGET = 'http://127.0.0.1:8765';

/**
 * The dev server needs inline scripts (React Refresh preamble) that renderer/index.html's CSP
 * forbids, so the CSP meta tag is dropped in `vite` dev mode only; built files keep it.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'joinery-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

export default defineConfig({
  root: 'renderer',
  // relative asset URLs: Electron loads dist/renderer/index.html from file://, the web server from /
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    // no changeOrigin: the server compares the Origin header with Host, so Host must stay the page's
    proxy: {
      '/rpc': { target: API_TARGET },
      '/auth': { target: API_TARGET },
      '/events': { target: API_TARGET, ws: true },
    },
  },
  preview: { host: '127.0.0.1' },
});
