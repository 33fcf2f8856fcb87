/**
 * Builds the app once, serves dist/ on a free loopback port, and launches the
 * system Chromium with playwright-core (never a downloaded browser).
 */
import { build, preview, type PreviewServer } from 'vite';
import { chromium, type Browser } from 'playwright-core';
// @ts-expect-error -- plain ESM helper shared with web-test-runner.config.mjs
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

let built: Promise<void> | undefined;

/** `vite build` once per test process. */
export function buildApp(): Promise<void> {
  built ??= build({ logLevel: 'warn' }).then(() => undefined);
  return built;
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveApp(): Promise<Served> {
  await buildApp();
  const server: PreviewServer = await preview({
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = (findChromium as () => string | undefined)();
  if (!executablePath) throw new Error('No Chromium: set CHROME_PATH or run `npm test`.');
  return chromium.launch({
    executablePath,
    headless: true,
    args: chromiumArgs as string[],
  });
}
