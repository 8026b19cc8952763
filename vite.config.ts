import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// The browser app lives in src/web; the Fastify server serves dist/web in production,
// and during `npm run dev:web` Vite forwards /api to a server on port 3000.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // Browsers the app supports all know <link rel="modulepreload">: no polyfill in the entry.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // dist/web/.vite/manifest.json maps each source module to its chunk and that chunk's static and
    // dynamic imports: scripts/web-budget.mjs reads it to add up what each route downloads.
    manifest: true,
    rolldownOptions: {
      output: {
        // Libraries every page needs get stable chunks of their own, so that a release that only
        // changes app code leaves them in the browser cache. antd stays split by component.
        codeSplitting: {
          groups: [
            { name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
            {
              name: 'libs',
              test: /[\\/]node_modules[\\/](react-router|@tanstack|i18next|react-i18next)[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
