/** Speeds as people type them (issue 19, defect 2): cdrecord's numbers, "16x", "max", kB/s. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSpeed, speedWords } from './profiles.ts';

describe('parseSpeed and speedWords', () => {
  it('reads 16x, 16, max and kB/s for the medium in the drive', () => {
    assert.equal(parseSpeed('16x', 'IMAPI_MEDIA_TYPE_DVDPLUSR'), 16 * 1385);
    assert.equal(parseSpeed('8', 'IMAPI_MEDIA_TYPE_CDR'), Math.round(8 * 176.4));
    assert.equal(parseSpeed('2.4×', 'IMAPI_MEDIA_TYPE_DVDPLUSR'), Math.round(2.4 * 1385));
    assert.equal(parseSpeed('max', 'IMAPI_MEDIA_TYPE_BDR'), undefined);
    assert.equal(parseSpeed('11080kB/s', 'IMAPI_MEDIA_TYPE_DVDPLUSR'), 11080);
    assert.ok(parseSpeed('fast', 'IMAPI_MEDIA_TYPE_CDR') instanceof Error);
    assert.ok(parseSpeed('4x', 'IMAPI_MEDIA_TYPE_UNKNOWN') instanceof Error);
  });
  it("says a speed as a multiple of the medium's 1x, with kB/s", () => {
    assert.equal(speedWords(5540, 'IMAPI_MEDIA_TYPE_DVDPLUSR'), '4× (5,540 kB/s)');
    assert.equal(speedWords(8467, 'IMAPI_MEDIA_TYPE_CDR'), '48× (8,467 kB/s)');
    assert.equal(speedWords(6742, 'IMAPI_MEDIA_TYPE_BDR'), '1.5× (6,742 kB/s)');
    assert.equal(speedWords(1000, 'IMAPI_MEDIA_TYPE_UNKNOWN'), '1,000 kB/s');
  });
});
