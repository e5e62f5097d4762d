import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

// Served by admin-api at /console (apps/admin-api/src/console); no server of its own in production.
// `npx vite` in this folder serves it for development and sends API calls to admin-api on :3000.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The polyfill would be an inline script, which the console's Content-Security-Policy refuses.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: { proxy: { '/v1': 'http://localhost:3000' } },
});
