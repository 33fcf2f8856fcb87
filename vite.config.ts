import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const THEME = '#0b57d0';

/**
 * The dev server injects CSS as <style> elements, which the page's strict
 * Content-Security-Policy (style-src 'self') refuses; relax it for `vite`
 * (serve) only. Builds keep the policy exactly as index.html states it.
 */
function devCsp(): Plugin {
  return {
    name: 'webdisc-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
  };
}

export default defineConfig({
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
  },
  worker: {
    format: 'es',
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  plugins: [
    devCsp(),
    VitePWA({
      // "prompt": a new version waits until the person presses Reload in the
      // "Update available" banner (web/lib/pwa.ts registers it).
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'webdisc: optical disc recorders',
        short_name: 'webdisc',
        description:
          'Control USB CD, DVD and Blu-ray recorders from Chrome: identity, media, exclusive access, tray and a command trace.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: THEME,
        background_color: '#f3f5f9',
        categories: ['utilities'],
        icons: [
          { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          {
            src: 'maskable-icon-192x192.png',
            sizes: '192x192',
            type: 'image/png',
            purpose: 'maskable',
          },
          {
            src: 'maskable-icon-512x512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
        file_handlers: [
          {
            action: '/',
            accept: { 'application/x-iso9660-image': ['.iso'] },
          },
        ],
      },
      // globPatterns below already take every icon; listing them again would duplicate entries.
      includeManifestIcons: false,
      workbox: {
        // The whole app: entry, the recorder worker chunk, styles, icons, manifest.
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        navigateFallback: 'index.html',
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        // Nothing is fetched from other origins at run time.
        runtimeCaching: [],
      },
      devOptions: { enabled: false },
    }),
  ],
});
