/**
 * The app asks for no more than its features need (issue 20, item 8): the
 * Content-Security-Policy of index.html (the IWA's headers carry the same)
 * and the IWA's permissions policy, checked directive by directive so a
 * widening is a failing test and a decision, not a drift.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { cspOfIndexHtml } from './headers.ts';
import { IWA_PERMISSIONS_POLICY } from './manifest.ts';

const csp = cspOfIndexHtml(readFileSync(new URL('../index.html', import.meta.url), 'utf8'));
const directives = new Map(
  csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .filter((d) => d[0])
    .map(([name, ...values]) => [name!, values]),
);

describe('security: CSP and permissions', () => {
  it('allows no eval, no inline script or style, no plug-ins, no foreign origin', () => {
    assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'|'unsafe-hashes'|\*|https?:/);
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    // 'wasm-unsafe-eval' compiles WebAssembly only (hash-wasm's SHA-256 and MD5 in
    // the worker); it allows no JavaScript eval. Without it the IWA cannot hash.
    assert.deepEqual(directives.get('script-src'), ["'self'", "'wasm-unsafe-eval'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.deepEqual(directives.get('base-uri'), ["'none'"]);
    assert.deepEqual(directives.get('form-action'), ["'none'"]);
    assert.deepEqual(directives.get('connect-src'), ["'self'"]);
    assert.deepEqual(directives.get('require-trusted-types-for'), ["'script'"]);
  });

  it('the IWA asks for USB (with the protected class) and isolation, nothing else', () => {
    assert.deepEqual(Object.keys(IWA_PERMISSIONS_POLICY).sort(), [
      'cross-origin-isolated',
      'usb',
      'usb-unrestricted',
    ]);
    for (const origins of Object.values(IWA_PERMISSIONS_POLICY)) {
      assert.deepEqual(origins, ['self']);
    }
  });
});
