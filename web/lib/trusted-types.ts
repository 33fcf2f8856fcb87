/**
 * Trusted Types for the two script URLs the page hands to the browser: its
 * workers and (in the PWA) its service worker. index.html's CSP says
 * `require-trusted-types-for 'script'` (and an Isolated Web App imposes it),
 * so those sinks take TrustedScriptURL only; plain strings throw.
 */

/** The part of the Trusted Types API the page uses (not in TypeScript's DOM lib yet). */
export interface ScriptUrlPolicy {
  createScriptURL(input: string): unknown;
}
export interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createScriptURL(input: string, type?: unknown, sink?: string): string | null },
  ): ScriptUrlPolicy;
}

/** The browser's `trustedTypes`, or null where it has none. */
export function trustedTypesFactory(): TrustedTypesFactory | null {
  return (globalThis as unknown as { trustedTypes?: TrustedTypesFactory }).trustedTypes ?? null;
}

const resolve = (url: string) => new URL(url, document.baseURI).href;

/**
 * A policy that turns exactly the `allowed` script URLs (resolved against the
 * page) into TrustedScriptURLs and throws for anything else; null where the
 * browser has no Trusted Types (there plain URLs are accepted).
 */
export function createScriptUrlPolicy(
  name: string,
  allowed: readonly string[],
  factory: TrustedTypesFactory | null = trustedTypesFactory(),
): ScriptUrlPolicy | null {
  if (!factory) return null;
  const ok = new Set(allowed.map(resolve));
  return factory.createPolicy(name, {
    createScriptURL(input: string): string {
      const href = resolve(input);
      if (!ok.has(href)) throw new TypeError(`${name}: not a script of this app: ${input}`);
      return href;
    },
  });
}

/** The service worker vite-plugin-pwa generates (generateSW, at the site root). */
export const SERVICE_WORKER_SCRIPT = '/sw.js';

/**
 * The PWA's service worker is registered by workbox-window (through
 * vite-plugin-pwa's `registerSW`), which passes a plain string to
 * navigator.serviceWorker.register, a Trusted Types sink. The `default`
 * policy is what the browser consults for such strings; this one admits that
 * one script for that one sink and nothing else (no HTML, no script text, no
 * other URL), so every other string still fails as it should. The IWA
 * registers no service worker and never creates it.
 */
export function allowServiceWorkerScript(
  url: string = SERVICE_WORKER_SCRIPT,
  factory: TrustedTypesFactory | null = trustedTypesFactory(),
): ScriptUrlPolicy | null {
  if (!factory) return null;
  const script = resolve(url);
  return factory.createPolicy('default', {
    createScriptURL(input: string, _type?: unknown, sink?: string): string | null {
      // null: the browser reports the violation and the sink throws.
      return sink === 'ServiceWorkerContainer register' && resolve(input) === script
        ? script
        : null;
    },
  });
}
