import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath } from 'node:url'
import { noForeignHosts } from './vite-plugins/no-foreign-hosts.ts'

/** The dev proxy's requests to the server without the dev server's Origin (see `server` below). */
function dropOrigin(proxy: { on(event: string, f: (req: { removeHeader(name: string): void }) => void): void }): void {
  proxy.on('proxyReq', (req) => req.removeHeader('origin'))
  proxy.on('proxyReqWs', (req) => req.removeHeader('origin'))
}

// Two pages: the console (index.html, served at / and its routes) and GraphiQL
// (graphiql.html, served at /graphql). Both are embedded in the server binary from dist/.
export default defineConfig({
  base: '/',
  plugins: [vue(), noForeignHosts()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 8192,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries' "use client" directives mean nothing outside a server renderer.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return
        warn(warning)
      },
      input: {
        console: fileURLToPath(new URL('./index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('./graphiql.html', import.meta.url)),
      },
    },
  },
  // `npx vite`: the console with hot reload, the API of a taizhang on 8080 (`cargo run`). The
  // subscription socket first (WebSocket upgrade, ws: true). The proxy sends the server its own
  // host, so the page's Origin (the dev server's) is taken off: the server checks that a
  // cookie-signed request comes from its own pages (a request without Origin passes).
  server: {
    proxy: {
      '/graphql/ws': { target: 'ws://127.0.0.1:8080', ws: true, configure: dropOrigin },
      ...Object.fromEntries(
        ['/graphql', '/session', '/evidence', '/export', '/bulletins', '/healthz'].map((p) => [p, { target: 'http://127.0.0.1:8080', configure: dropOrigin }]),
      ),
    },
  },
  // The dev server's dependency scan cannot pre-bundle @graphiql/react's `?worker` imports of
  // Monaco, and its failure stopped `npx vite` altogether; left out of the scan, the console runs
  // in the dev server (GraphiQL there does not: use the one `cargo run` serves). The build is
  // unaffected.
  optimizeDeps: { exclude: ['@graphiql/react'] },
  worker: { format: 'es', plugins: () => [noForeignHosts()] },
  test: { include: ['src/**/*.test.ts', 'vite-plugins/**/*.test.ts'], environment: 'node' },
})
