import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import {
  IWA_APP_DIR,
  IWA_MANIFEST_PATH,
  IWA_MODE,
  iwaManifest,
  type AppManifestFields,
} from './iwa/manifest.ts';

const THEME = '#0b57d0';

/** What the PWA's manifest and the Isolated Web App's manifest share. */
const APP: AppManifestFields = {
  name: 'webdisc: optical disc recorders',
  short_name: 'webdisc',
  description:
    'Control USB CD, DVD and Blu-ray recorders from Chrome: identity, media, exclusive access, tray and a command trace.',
  lang: 'en',
  theme_color: THEME,
  background_color: '#f3f5f9',
  icons: [
    { src: 'pwa-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: 'pwa-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: 'maskable-icon-192x192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: 'maskable-icon-512x512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
};

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
      html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        // Vite's dev client writes its error overlay with innerHTML, a
        // Trusted Types sink; the built app (PWA and IWA) keeps the rule.
        .replace(/ require-trusted-types-for 'script'; trusted-types [^;"]*;?/, ''),
  };
}

/**
 * The Isolated Web App build (`vite build --mode iwa`, run by iwa/build.ts):
 * emits the IWA manifest at /.well-known/manifest.webmanifest with the
 * version from package.json. The web bundle itself is made by iwa/build.ts.
 */
function iwaManifestFile(): Plugin {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  return {
    name: 'webdisc-iwa-manifest',
    apply: 'build',
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: IWA_MANIFEST_PATH,
        source: JSON.stringify(iwaManifest(APP, version), null, 2) + '\n',
      });
    },
  };
}

export default defineConfig(({ mode }) => {
  const iwa = mode === IWA_MODE;
  return {
    build: {
      target: 'es2022',
      outDir: iwa ? IWA_APP_DIR : 'dist',
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
        // The IWA is served from its installed bundle and updates with a new
        // bundle: no service worker, no PWA manifest link. Disabled, the plugin
        // still answers `virtual:pwa-register` (with a no-op), which main.ts
        // does not call there anyway.
        disable: iwa,
        manifest: {
          id: '/',
          ...APP,
          icons: [...APP.icons],
          start_url: '/',
          scope: '/',
          display: 'standalone',
          categories: ['utilities'],
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
      iwa ? iwaManifestFile() : null,
    ],
  };
});
