import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The production build the gateway serves at /console/ (see apps/gateway/src/console).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // The wire vocabulary (job states, socket events) comes from the same source the services use.
  resolve: {
    alias: {
      '@voxelfleet/contracts': fileURLToPath(new URL('../../libs/contracts/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    // three.js alone is ~600 kB minified; one chunk is fine for a console loaded once.
    chunkSizeWarningLimit: 1500,
    sourcemap: true,
  },
});
