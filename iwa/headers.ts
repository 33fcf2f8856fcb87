/**
 * The HTTP response headers of every file of the IWA: in the signed bundle
 * (each exchange carries its headers) and from the dev-mode proxy server.
 * Chrome adds its own IWA policy on top; these say the same things, so the
 * app behaves alike when served by the proxy, from the bundle, or as a PWA
 * behind a server that sends them.
 */
import { extname } from 'node:path';

/** Cross-origin isolation: what an IWA must be, and what SharedArrayBuffer-style APIs need. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
} as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The Content-Security-Policy of index.html's <meta>, so the header and the
 * page never disagree. Throws if the page has none or lacks Trusted Types.
 */
export function cspOfIndexHtml(html: string): string {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  if (!meta?.[1]) throw new Error('index.html has no Content-Security-Policy <meta>');
  const csp = meta[1];
  if (!/require-trusted-types-for 'script'/.test(csp))
    throw new Error(
      "index.html's CSP lacks require-trusted-types-for 'script' (an IWA enforces it)",
    );
  return csp;
}

/**
 * All headers for one file. The CSP goes on every response, not only the
 * page: a worker's policy comes from its own script's response.
 * `frame-ancestors` can only be set by a header, never by <meta>.
 */
export function iwaHeaders(path: string, csp: string): Record<string, string> {
  return {
    'content-type': contentType(path),
    'content-security-policy': `${csp}; frame-ancestors 'self'`,
    ...ISOLATION_HEADERS,
    'x-content-type-options': 'nosniff',
  };
}
