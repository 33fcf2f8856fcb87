/** Telling a disc image from other files before burning (issue 19, defect 1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesSource, planImage } from '../../disc-fs/src/index.ts';
import { image } from '../test-kit.ts';
import { IMAGE_KIND_BYTES, imageKind } from '../../contract/image-kind.ts';

async function head(udfOnly: boolean): Promise<Uint8Array> {
  const plan = planImage(
    {
      kind: 'dir',
      name: '',
      children: [{ kind: 'file', name: 'a', size: 10, content: bytesSource(new Uint8Array(10)) }],
    },
    udfOnly ? { udf: true } : { udf: false },
  );
  const parts: Uint8Array[] = [];
  for await (const c of plan.stream()) parts.push(c.slice());
  return Uint8Array.from(Buffer.concat(parts)).subarray(0, IMAGE_KIND_BYTES);
}

describe('imageKind', () => {
  it('finds ISO 9660 (CD001 at sector 16) and says unknown for other bytes', async () => {
    assert.equal(imageKind(await head(false)), 'iso9660');
    assert.equal(imageKind(image(20, 1)), 'unknown');
    assert.equal(imageKind(new Uint8Array(100)), 'unknown');
  });
  it('finds UDF by its recognition sequence when there is no ISO 9660 descriptor', () => {
    const b = new Uint8Array(IMAGE_KIND_BYTES);
    b.set([0, ...Array.from('BEA01', (c) => c.charCodeAt(0))], 16 * 2048);
    b.set([0, ...Array.from('NSR02', (c) => c.charCodeAt(0))], 17 * 2048);
    assert.equal(imageKind(b), 'udf');
  });
});
