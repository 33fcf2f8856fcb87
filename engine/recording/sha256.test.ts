import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Sha256, sha256Hex } from './sha256.ts';

describe('incremental SHA-256', () => {
  it('matches FIPS 180-4 test vectors', () => {
    assert.equal(
      sha256Hex(new Uint8Array(0)),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(
      sha256Hex(new TextEncoder().encode('abc')),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    assert.equal(
      sha256Hex(
        new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      ),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it("matches Node's SHA-256 for any data split into any chunks", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (data, cuts) => {
          const h = new Sha256();
          let at = 0;
          for (const c of cuts) {
            h.update(data.subarray(at, Math.min(data.length, at + c)));
            at = Math.min(data.length, at + c);
          }
          h.update(data.subarray(at));
          const ours = Buffer.from(h.digest()).toString('hex');
          assert.equal(ours, createHash('sha256').update(data).digest('hex'));
        },
      ),
    );
  });
});
