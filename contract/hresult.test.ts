import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HRESULT, formatHResult, hresultName } from './hresult.ts';

describe('HRESULTs', () => {
  it('prints an HRESULT as 8 upper-case hex digits, signed or not', () => {
    assert.equal(formatHResult(0xc0aa0210 | 0), '0xC0AA0210');
    assert.equal(formatHResult(0xc0aa0210), '0xC0AA0210');
    assert.equal(formatHResult(0x80070057 | 0), '0x80070057');
    assert.equal(formatHResult(0), '0x00000000');
  });

  it('names a value, signed or not, with the seeds spelling', () => {
    assert.equal(hresultName(0xc0aa0210 | 0), 'E_IMAPI_RECORDER_LOCKED');
    assert.equal(hresultName(HRESULT.E_ACCESS_DENIED), 'E_ACCESS_DENIED');
    assert.equal(hresultName(0x12345678), undefined);
  });
});
