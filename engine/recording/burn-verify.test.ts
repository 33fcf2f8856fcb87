/**
 * Full verification of images whose size is not whole sectors (issue 19,
 * defect 1): the disc holds the image and zeros to the end of its last
 * sector; the SHA-256 both sides compare, and the report gives, is the
 * image file's own (its exact length), as `sha256sum` computes it. Before
 * the fix the disc's hash covered the padding and the image's did not.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BurnSource } from '../../contract/api.ts';
import { V, bench, image } from '../test-kit.ts';

describe('full verification of an image that is not whole sectors', () => {
  const bytes = image(11, 1).subarray(0, 10 * 2048 + 100);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const sources: Record<string, () => BurnSource> = {
    bytes: () => ({ kind: 'bytes', bytes }),
    blob: () => ({ kind: 'blob', blob: new Blob([bytes]) }),
    stream: () => ({
      kind: 'stream',
      stream: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(bytes.subarray(0, 5000));
          c.enqueue(bytes.subarray(5000));
          c.close();
        },
      }),
    }),
  };
  for (const [kind, source] of Object.entries(sources)) {
    it(`${kind}: verified, and the SHA-256 is the file's`, async () => {
      const s = bench({ media: 'dvd+r' }).session('A');
      const r = await s.service.burnImage(V, source(), { clientName: 'A', verify: 'full' });
      assert.ok(r.ok, JSON.stringify(r.ok ? '' : r.error));
      assert.equal(r.value.sha256, sha);
      assert.equal(r.value.sectorCount, 11);
    });
  }
});
