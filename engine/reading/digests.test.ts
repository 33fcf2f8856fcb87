/** The engine's WebAssembly hashes agree with node:crypto on chunked input. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { image } from '../test-kit.ts';
import { wasmDigests } from './digests.ts';

describe('wasmDigests (hash-wasm)', () => {
  it('gives the SHA-256 and MD5 node:crypto gives, whatever the chunking', async () => {
    const data = image(300, 1).subarray(0, 300 * 2048 - 77);
    for (const chunk of [1, 63, 64, 4096, 1 << 20]) {
      const d = await wasmDigests();
      for (let o = 0; o < data.length; o += chunk) d.update(data.subarray(o, o + chunk));
      assert.deepEqual(d.digest(), {
        sha256: createHash('sha256').update(data).digest('hex'),
        md5: createHash('md5').update(data).digest('hex'),
      });
    }
  });
});
