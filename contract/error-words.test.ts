import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorValue } from './errors.ts';
import { errorDetails, errorWords } from './error-words.ts';
import { HRESULT, type HResultName } from './hresult.ts';

const value = (name: HResultName, message = 'raw message', sense: ErrorValue['sense'] = null) => ({
  hresult: HRESULT[name] | 0,
  name,
  message,
  sense,
});

describe('errors in words', () => {
  it('says a full disc and a missing disc in words, not the HRESULT', () => {
    assert.equal(
      errorWords(value('E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA')),
      'The disc is full: what you chose does not fit.',
    );
    assert.equal(
      errorWords(value('E_IMAPI_RECORDER_MEDIA_NO_MEDIA')),
      'There is no disc in the drive.',
    );
  });

  it('names the owner for "in use" errors, and says it without one', () => {
    const locked = value('E_IMAPI_RECORDER_LOCKED', 'locked by “Nightly Backup”');
    assert.equal(
      errorWords(locked, { owner: 'Nightly Backup' }),
      'The drive is used by Nightly Backup.',
    );
    assert.equal(errorWords(locked, { owner: '  ' }), 'The drive is used by another program.');
    assert.equal(
      errorWords(value('E_ACCESS_DENIED'), { owner: 'Burner tab' }),
      'The drive is used by Burner tab.',
    );
    // An owner never turns an unrelated error into "in use".
    assert.equal(
      errorWords(value('E_IMAPI_RECORDER_MEDIA_NO_MEDIA'), { owner: 'Burner tab' }),
      'There is no disc in the drive.',
    );
  });

  it('has words for every IMAPI HRESULT but S_OK and the sense-data success', () => {
    const missing = (Object.keys(HRESULT) as HResultName[]).filter(
      (name) =>
        name !== 'S_OK' &&
        name !== 'S_IMAPI_COMMAND_HAS_SENSE_DATA' &&
        errorWords(value(name)) === 'raw message',
    );
    assert.deepEqual(missing, []);
  });

  it("falls back to the error's own message for a name it does not know", () => {
    const e = {
      hresult: 0x80004005 | 0,
      name: 'TypeError',
      message: 'Failed to fetch',
      sense: null,
    };
    assert.equal(errorWords(e), 'Failed to fetch');
  });

  it('gives the details line: name, 0x code and sense key/ASC/ASCQ', () => {
    assert.equal(
      errorDetails(value('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'm', { key: 2, asc: 0x3a, ascq: 0 })),
      'E_IMAPI_RECORDER_MEDIA_NO_MEDIA 0xC0AA0202, sense 2/3A/00',
    );
    assert.equal(
      errorDetails(value('E_IMAPI_RECORDER_LOCKED')),
      'E_IMAPI_RECORDER_LOCKED 0xC0AA0210',
    );
  });
});
