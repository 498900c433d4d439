/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

// The Maven module packs target/classes/sluice-web/ into its jar; the server serves that
// classpath folder at "/" (index.html for unknown non-API paths), so assets use absolute paths.
const mockPort = Number(process.env.SLUICE_MOCK_PORT ?? 8091);
const apiTarget = process.env.SLUICE_API ?? `http://127.0.0.1:${mockPort}`;

export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/classes/sluice-web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
    },
  },
  preview: {
    proxy: {
      '/api': apiTarget,
      '/health': apiTarget,
    },
  },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
