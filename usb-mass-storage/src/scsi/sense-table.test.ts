import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HRESULT } from '../../../contract/hresult.ts';
import { OPCODE } from './opcodes.ts';
import { decodeSense, encodeFixedSense } from './sense.ts';
import { describeSense, lookupSense, SENSE_ANY, SENSE_TABLE, SensePolicy } from './sense-table.ts';

const triple = (key: number, asc: number, ascq: number) => ({ key, asc, ascq });

describe('sense table: the protocol notes rows', () => {
  // key, ASC, ASCQ, the notes' policy column as a SensePolicy, and the HRESULT.
  const rows: [number, number, number, string, string][] = [
    [2, 0x04, 0x01, SensePolicy.Retry, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
    [2, 0x04, 0x04, SensePolicy.Poll, 'E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS'],
    [2, 0x04, 0x07, SensePolicy.Poll, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
    [2, 0x04, 0x08, SensePolicy.RetryWrite, 'E_IMAPI_RECORDER_MEDIA_BUSY'],
    [2, 0x3a, 0x00, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
    [2, 0x3a, 0x01, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
    [2, 0x3a, 0x02, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
    [5, 0x53, 0x02, SensePolicy.Fail, 'E_IMAPI_RECORDER_LOCKED'],
    [6, 0x28, 0x00, SensePolicy.Refresh, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
    [6, 0x29, 0x00, SensePolicy.Refresh, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [6, 0x29, 0x01, SensePolicy.Refresh, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [6, 0x29, 0x04, SensePolicy.Refresh, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [5, 0x20, 0x00, SensePolicy.Unsupported, 'E_NOTIMPL'],
    [5, 0x24, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
    [5, 0x26, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
    [5, 0x21, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
    [5, 0x21, 0x02, SensePolicy.Fail, 'E_INVALIDARG'],
    [5, 0x2c, 0x00, SensePolicy.Fail, 'E_FAIL'],
    [5, 0x30, 0x00, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
    [5, 0x30, 0x05, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE'],
    [5, 0x64, 0x00, SensePolicy.Fail, 'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS'],
    [3, 0x0c, 0x00, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [3, 0x0c, 0x09, SensePolicy.Fail, 'E_IMAPI_LOSS_OF_STREAMING'],
    [3, 0x11, 0x00, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [3, 0x11, 0x05, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [3, 0x72, 0x00, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [3, 0x72, 0x03, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [3, 0x73, 0x02, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
    [7, 0x27, 0x00, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'],
  ];

  for (const [key, asc, ascq, policy, hresultName] of rows) {
    it(`${key}/${asc.toString(16)}/${ascq.toString(16)} -> ${policy}, ${hresultName}`, () => {
      const advice = lookupSense(triple(key, asc, ascq));
      assert.equal(advice.policy, policy);
      assert.equal(advice.hresultName, hresultName);
      assert.ok(advice.message.length > 0);
    });
  }
});

describe('sense table: extras and opcode-specific rows', () => {
  it('maps the common extras', () => {
    const cases: [number, number, number, string, string][] = [
      // Issue 13: NO SENSE and RECOVERED ERROR are success, never resent in a loop.
      [0, 0x00, 0x00, SensePolicy.Recovered, 'E_IMAPI_RECORDER_LOCKED'],
      [1, 0x17, 0x01, SensePolicy.Recovered, 'S_IMAPI_COMMAND_HAS_SENSE_DATA'],
      [2, 0x04, 0x00, SensePolicy.Retry, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
      [2, 0x04, 0x02, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
      [2, 0x04, 0x09, SensePolicy.Retry, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY'],
      [2, 0x3a, 0x04, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
      [3, 0x02, 0x00, SensePolicy.Fail, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
      [4, 0x44, 0x00, SensePolicy.Fail, 'E_FAIL'],
      [4, 0x09, 0x01, SensePolicy.Fail, 'E_FAIL'],
      [5, 0x30, 0x10, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED'],
      [5, 0x1a, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
      [5, 0x25, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
      [5, 0x39, 0x00, SensePolicy.Fail, 'E_INVALIDARG'],
      [6, 0x2a, 0x01, SensePolicy.Refresh, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
      [6, 0x3a, 0x00, SensePolicy.Refresh, 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA'],
      [6, 0x5a, 0x01, SensePolicy.Refresh, 'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE'],
      [7, 0x27, 0x05, SensePolicy.Fail, 'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED'],
      [0xb, 0x00, 0x00, SensePolicy.Retry, 'E_FAIL'],
    ];
    // ABORTED COMMAND fails a WRITE (its data may be half on the disc), except
    // B/08/xx LOGICAL UNIT COMMUNICATION FAILURE, as libburn decides.
    for (const [asc, policy] of [
      [0x00, SensePolicy.Fail],
      [0x47, SensePolicy.Fail],
      [0x08, SensePolicy.Retry],
    ] as const) {
      assert.equal(lookupSense(triple(0xb, asc, 0), OPCODE.WRITE_10).policy, policy);
      assert.equal(lookupSense(triple(0xb, asc, 0), OPCODE.READ_10).policy, SensePolicy.Retry);
    }
    for (const [key, asc, ascq, policy, hresultName] of cases) {
      const advice = lookupSense(triple(key, asc, ascq));
      assert.deepEqual(
        [advice.policy, advice.hresultName],
        [policy, hresultName],
        `${key}/${asc}/${ascq}`,
      );
    }
  });

  it('tells MODE SENSE, MODE SELECT and GET CONFIGURATION failures apart', () => {
    const invalidField = triple(5, 0x24, 0x00);
    assert.deepEqual(
      [
        lookupSense(invalidField, OPCODE.MODE_SENSE_10).policy,
        lookupSense(invalidField, OPCODE.MODE_SENSE_10).hresultName,
      ],
      [SensePolicy.Unsupported, 'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE'],
    );
    assert.equal(
      lookupSense(invalidField, OPCODE.MODE_SELECT_10).hresultName,
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    assert.equal(
      lookupSense(triple(5, 0x26, 0x00), OPCODE.MODE_SELECT_10).hresultName,
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    assert.equal(
      lookupSense(triple(5, 0x26, 0x02), OPCODE.MODE_SELECT_10).hresultName,
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    assert.equal(lookupSense(invalidField, OPCODE.INQUIRY).hresultName, 'E_INVALIDARG');
    // Saved pages the drive does not keep (SPC-4 §6.12.3): absent for MODE SENSE, bad for MODE SELECT.
    const noSaved = triple(5, 0x39, 0x00);
    assert.deepEqual(
      [
        lookupSense(noSaved, OPCODE.MODE_SENSE_10).policy,
        lookupSense(noSaved, OPCODE.MODE_SENSE_10).hresultName,
      ],
      [SensePolicy.Unsupported, 'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE'],
    );
    assert.equal(
      lookupSense(noSaved, OPCODE.MODE_SELECT_10).hresultName,
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    assert.equal(
      lookupSense(triple(5, 0x1a, 0x00), OPCODE.MODE_SELECT_10).hresultName,
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    const noOpcode = triple(5, 0x20, 0x00);
    assert.equal(
      lookupSense(noOpcode, OPCODE.GET_CONFIGURATION).hresultName,
      'E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED',
    );
    assert.equal(
      lookupSense(noOpcode, OPCODE.GET_EVENT_STATUS_NOTIFICATION).hresultName,
      'E_NOTIMPL',
    );
    assert.equal(
      lookupSense(noOpcode, OPCODE.GET_EVENT_STATUS_NOTIFICATION).policy,
      SensePolicy.Unsupported,
    );
  });

  it('falls back to fail / E_FAIL for senses it does not know', () => {
    for (const sense of [triple(5, 0x99, 0x00), triple(0xe, 0x1d, 0x00), triple(0, 0x00, 0x11)]) {
      assert.deepEqual(lookupSense(sense), {
        message: 'UNKNOWN SENSE',
        policy: SensePolicy.Fail,
        hresultName: 'E_FAIL',
      });
    }
  });

  it('has well-formed rows: real HRESULT names, no duplicate keys, valid codes', () => {
    const seen = new Set<string>();
    for (const row of SENSE_TABLE) {
      assert.ok(row.hresultName in HRESULT, row.hresultName);
      assert.ok(Object.values(SensePolicy).includes(row.policy));
      assert.ok(row.key >= 0 && row.key <= 0xf);
      for (const code of [row.asc, row.ascq])
        assert.ok(code === SENSE_ANY || (code >= 0 && code <= 0xff));
      const id = `${row.key}/${row.asc}/${row.ascq}/${row.opcodes?.join(',') ?? ''}`;
      assert.ok(!seen.has(id), `duplicate row ${id}`);
      seen.add(id);
    }
  });

  it('answers every triple and opcode without throwing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
        (key, asc, ascq, opcode) => {
          const advice = lookupSense({ key, asc, ascq }, opcode);
          assert.ok(advice.hresultName in HRESULT);
          assert.ok(describeSense({ key, asc, ascq }, opcode).length > 8);
        },
      ),
    );
  });
});

describe('describeSense', () => {
  it('prints the triple and the message', () => {
    assert.equal(
      describeSense(triple(2, 0x04, 0x08)),
      '2/04/08 LONG WRITE IN PROGRESS (buffer full)',
    );
    assert.equal(describeSense(triple(7, 0x27, 0x00)), '7/27/00 WRITE PROTECTED');
  });

  it('adds progress in percent and the failing LBA', () => {
    const formatting = decodeSense(
      encodeFixedSense({ key: 2, asc: 0x04, ascq: 0x04, progress: 0x8000 }),
    );
    assert.equal(
      describeSense(formatting),
      '2/04/04 LOGICAL UNIT NOT READY, FORMAT IN PROGRESS, 50% done',
    );
    assert.equal(
      describeSense({ key: 2, asc: 4, ascq: 7, progress: 65535 }),
      '2/04/07 LOGICAL UNIT NOT READY, OPERATION IN PROGRESS, 99% done',
    );
    assert.equal(
      describeSense({ key: 2, asc: 4, ascq: 7, progress: 0 }).endsWith(', 0% done'),
      true,
    );
    const streaming = decodeSense(
      encodeFixedSense({ key: 3, asc: 0x0c, ascq: 0x09, information: 12345 }),
    );
    assert.equal(describeSense(streaming), '3/0C/09 WRITE ERROR - LOSS OF STREAMING, LBA 12345');
  });
});
