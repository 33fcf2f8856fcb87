import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  blank,
  closeTrackSession,
  encodeFormatParameterList,
  type FormatParameterList,
  formatUnit,
  getConfiguration,
  getEventStatusNotification,
  mechanismStatus,
  readBufferCapacity,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
  reserveTrack,
  setCdSpeed,
  sendCueSheet,
} from './mmc.ts';
import { commandName, COMMAND_TIMEOUT_MS, defaultTimeoutMs, OPCODE } from './opcodes.ts';
import {
  inquiry,
  modeSelect10,
  modeSense10,
  preventAllowMediumRemoval,
  release6,
  requestSense,
  reserve6,
  testUnitReady,
} from './spc.ts';
import {
  ejectMedium,
  read10,
  readCapacity10,
  startStopUnit,
  synchronizeCache10,
  write10,
} from './sbc.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

const formatList: FormatParameterList = {
  fov: false,
  dcrt: false,
  tryOut: false,
  immed: false,
  numberOfBlocks: 0xffffffff,
  formatType: 0x26,
  formatSubtype: 0,
  typeDependent: 0,
};

describe('opcodes', () => {
  it('has the protocol notes’ command table', () => {
    const table: [number, keyof typeof OPCODE][] = [
      [0x00, 'TEST_UNIT_READY'],
      [0x03, 'REQUEST_SENSE'],
      [0x12, 'INQUIRY'],
      [0x1b, 'START_STOP_UNIT'],
      [0x1e, 'PREVENT_ALLOW_MEDIUM_REMOVAL'],
      [0x16, 'RESERVE_6'],
      [0x17, 'RELEASE_6'],
      [0x25, 'READ_CAPACITY_10'],
      [0x28, 'READ_10'],
      [0x2a, 'WRITE_10'],
      [0x35, 'SYNCHRONIZE_CACHE_10'],
      [0x43, 'READ_TOC_PMA_ATIP'],
      [0x46, 'GET_CONFIGURATION'],
      [0x4a, 'GET_EVENT_STATUS_NOTIFICATION'],
      [0x51, 'READ_DISC_INFORMATION'],
      [0x52, 'READ_TRACK_INFORMATION'],
      [0x53, 'RESERVE_TRACK'],
      [0x55, 'MODE_SELECT_10'],
      [0x5a, 'MODE_SENSE_10'],
      [0x5b, 'CLOSE_TRACK_SESSION'],
      [0x5c, 'READ_BUFFER_CAPACITY'],
      [0xa1, 'BLANK'],
      [0x04, 'FORMAT_UNIT'],
      [0xbb, 'SET_CD_SPEED'],
      [0xbd, 'MECHANISM_STATUS'],
    ];
    for (const [op, name] of table) assert.equal(OPCODE[name], op, name);
    assert.equal(
      new Set(Object.values(OPCODE)).size,
      Object.values(OPCODE).length,
      'no opcode twice',
    );
  });

  it('names commands as drive logs do', () => {
    assert.equal(commandName(read10({ lba: 0, blocks: 1 }).cdb), 'READ(10)');
    assert.equal(commandName(getConfiguration().cdb), 'GET CONFIGURATION');
    assert.equal(commandName(readTocPmaAtip({ format: 0 }).cdb), 'READ TOC/PMA/ATIP');
    assert.equal(commandName(closeTrackSession({ closeFunction: 1 }).cdb), 'CLOSE TRACK/SESSION');
    assert.equal(commandName(modeSense10({ pageCode: 0x2a }).cdb), 'MODE SENSE(10)');
    assert.equal(commandName(Uint8Array.of(0xff)), 'OPCODE 0xFF');
    assert.equal(commandName(Uint8Array.of(0x0a, 0, 0)), 'OPCODE 0x0A');
    assert.equal(commandName(new Uint8Array(0)), 'EMPTY CDB');
    for (const op of Object.values(OPCODE))
      assert.doesNotMatch(commandName(Uint8Array.of(op)), /^OPCODE/);
  });
});

describe('default timeouts', () => {
  it('gives status commands a few seconds', () => {
    for (const request of [
      testUnitReady(),
      requestSense(),
      inquiry(),
      getEventStatusNotification(),
      getConfiguration(),
      modeSense10({ pageCode: 0x2a }),
      modeSelect10(new Uint8Array(8)),
      preventAllowMediumRemoval({ prevent: true }),
      reserve6(),
      release6(),
      readBufferCapacity(),
      mechanismStatus(),
    ]) {
      assert.equal(defaultTimeoutMs(request.cdb), 10 * SECOND, commandName(request.cdb));
    }
  });

  it("gives I/O, calibration and spin-up commands at least libburn's 200 s (issue 13)", () => {
    for (const request of [
      read10({ lba: 0, blocks: 16 }),
      write10({ lba: 0, data: new Uint8Array(2048) }),
      readCapacity10(),
      readTocPmaAtip({ format: 0 }),
      readDiscInformation(),
      readTrackInformation({ address: 1 }),
      reserveTrack({ size: 1000 }),
      setCdSpeed(),
    ]) {
      assert.equal(defaultTimeoutMs(request.cdb), 200 * SECOND, commandName(request.cdb));
    }
    assert.equal(defaultTimeoutMs(sendCueSheet(new Uint8Array(16)).cdb), 200 * SECOND);
    assert.equal(
      defaultTimeoutMs(startStopUnit({ loadEject: true, start: true }).cdb),
      300 * SECOND,
      'loading (libburn: 300 s)',
    );
    assert.equal(
      defaultTimeoutMs(ejectMedium(true).cdb),
      10 * SECOND,
      'START STOP UNIT with IMMED',
    );
    assert.equal(defaultTimeoutMs(Uint8Array.of(0xee)), 200 * SECOND, 'unknown opcodes');
    assert.equal(defaultTimeoutMs(new Uint8Array(0)), 200 * SECOND, 'empty CDB');
  });

  it('gives long operations minutes, unless IMMED is set', () => {
    assert.equal(defaultTimeoutMs(blank({ type: 0 }).cdb), 90 * MINUTE);
    assert.equal(defaultTimeoutMs(blank({ type: 1 }).cdb), 10 * MINUTE);
    assert.equal(
      defaultTimeoutMs(blank({ type: 0, immed: true }).cdb),
      COMMAND_TIMEOUT_MS.immediate,
    );
    assert.equal(defaultTimeoutMs(closeTrackSession({ closeFunction: 1 }).cdb), 10 * MINUTE);
    assert.equal(defaultTimeoutMs(closeTrackSession({ closeFunction: 2 }).cdb), 20 * MINUTE);
    assert.equal(defaultTimeoutMs(closeTrackSession({ closeFunction: 6 }).cdb), 20 * MINUTE);
    assert.equal(
      defaultTimeoutMs(closeTrackSession({ closeFunction: 2, immed: true }).cdb),
      COMMAND_TIMEOUT_MS.immediate,
    );
    assert.equal(defaultTimeoutMs(synchronizeCache10().cdb), 10 * MINUTE);
    assert.equal(
      defaultTimeoutMs(synchronizeCache10({ immed: true }).cdb),
      COMMAND_TIMEOUT_MS.immediate,
    );
    const slowFormat = formatUnit(formatList);
    assert.equal(defaultTimeoutMs(slowFormat.cdb, slowFormat.data), 120 * MINUTE);
    assert.equal(defaultTimeoutMs(slowFormat.cdb), 120 * MINUTE, 'no data: assume the slow case');
    const quickFormat = formatUnit({ ...formatList, immed: true });
    assert.equal(defaultTimeoutMs(quickFormat.cdb, quickFormat.data), COMMAND_TIMEOUT_MS.immediate);
    assert.equal(quickFormat.timeoutMs, COMMAND_TIMEOUT_MS.immediate);
    // IMMED in a list sent without FmtData means nothing.
    assert.equal(
      defaultTimeoutMs(
        Uint8Array.of(0x04, 0x01, 0, 0, 0, 0),
        encodeFormatParameterList({ ...formatList, immed: true }),
      ),
      120 * MINUTE,
    );
    // Issue 13: a drive may do part of an IMMED operation before it answers.
    assert.ok(COMMAND_TIMEOUT_MS.immediate >= 200 * SECOND);
  });

  it('returns a positive, finite timeout for any CDB', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 16 }),
        fc.option(fc.uint8Array({ maxLength: 12 }), { nil: undefined }),
        (cdb, data) => {
          const ms = defaultTimeoutMs(cdb, data);
          assert.ok(Number.isFinite(ms) && ms >= 10 * SECOND && ms <= 120 * MINUTE);
        },
      ),
    );
  });
});
