/**
 * Conformance: START STOP UNIT, PREVENT ALLOW, RESERVE/RELEASE and the
 * refusals (every sense condition the drive reports, as the host's typed
 * errors), with the virtual recorder's default behaviour (conformance-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandError } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { noData } from '../../usb-mass-storage/src/scsi/command.ts';
import {
  BlankType,
  CloseFunction,
  DiscStatus,
  MediaEventCode,
  TocFormat,
  TrackAddressType,
  blank,
  closeTrackSession,
  getEventStatusNotification,
  mechanismStatus,
  parseEventStatus,
  parseMechanismStatus,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  findModePage,
  parseCapabilities,
  parseModeParameterList,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { lookupSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import {
  inquiry,
  modeSelect10,
  modeSense10,
  preventAllowMediumRemoval,
  release6,
  reserve6,
  testUnitReady,
} from '../../usb-mass-storage/src/scsi/spc.ts';
import {
  ejectMedium,
  loadMedium,
  parseCapacity,
  read10,
  readCapacity10,
  startStopUnit,
  write10,
} from '../../usb-mass-storage/src/scsi/sbc.ts';
import { MEDIA, ManualClock, TIMING } from './index.ts';
import { T, host, refused, senseOf, pattern, discInfo } from './conformance-harness.test.ts';

// ==============================================================================================
// Tray, locks and reservations
// ==============================================================================================

describe('conformance: START STOP UNIT, PREVENT ALLOW, RESERVE/RELEASE', T, () => {
  it('eject and load: tray open is 2/3A/02, then a unit attention after the disc spins up', async () => {
    const { drive, recorder, attentions } = await host({ media: 'cd-rom' });
    await drive.run(ejectMedium());
    assert.equal(recorder.state.trayOpen, true);
    await refused(drive.run(testUnitReady()), [2, 0x3a, 0x02], 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
    await refused(drive.run(readCapacity10()), [2, 0x3a, 0x02], 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
    assert.equal(parseMechanismStatus((await drive.run(mechanismStatus())).data).doorOpen, true);
    const removal = parseEventStatus((await drive.run(getEventStatusNotification())).data);
    assert.ok(removal.event?.kind === 'media');
    assert.deepEqual(
      [removal.event.eventCode, removal.event.mediaPresent, removal.event.doorOpen],
      [MediaEventCode.MediaRemoval, false, true],
    );
    await drive.run(loadMedium());
    const arrival = parseEventStatus((await drive.run(getEventStatusNotification())).data);
    assert.ok(
      arrival.event?.kind === 'media' && arrival.event.eventCode === MediaEventCode.NewMedia,
    );
    // ScsiDrive sees 6/28/00, refreshes and retries: the caller only sees GOOD.
    assert.equal((await drive.run(testUnitReady())).status, 'good');
    assert.deepEqual(
      attentions.map((s) => [s.key, s.asc, s.ascq]),
      [[6, 0x28, 0]],
    );
    // Start=1 alone spins a loaded disc: GOOD.
    await drive.run(startStopUnit({ start: true }));
  });

  it('PREVENT: eject refused 5/53/02 (locked); Persistent alone lets the host eject', async () => {
    const { drive, recorder } = await host({ media: 'dvd+r' });
    await drive.run(preventAllowMediumRemoval({ prevent: true }));
    assert.equal(recorder.state.prevent, true);
    await refused(drive.run(ejectMedium()), [5, 0x53, 0x02], 'E_IMAPI_RECORDER_LOCKED');
    const caps = parseCapabilities(
      findModePage(
        parseModeParameterList(
          (await drive.run(modeSense10({ pageCode: ModePageCode.Capabilities }))).data,
        ),
        ModePageCode.Capabilities,
      )!,
    );
    assert.equal(caps.lockState, true);
    assert.equal(recorder.pressEjectButton(), 'eject-request');
    const request = parseEventStatus((await drive.run(getEventStatusNotification())).data);
    assert.ok(
      request.event?.kind === 'media' && request.event.eventCode === MediaEventCode.EjectRequest,
    );
    await drive.run(preventAllowMediumRemoval({ prevent: false }));
    await drive.run(preventAllowMediumRemoval({ prevent: true, persistent: true }));
    assert.deepEqual([recorder.state.prevent, recorder.state.persistentPrevent], [false, true]);
    await drive.run(ejectMedium());
    assert.equal(recorder.state.trayOpen, true);
    await drive.run(preventAllowMediumRemoval({ prevent: false, persistent: true }));
    assert.equal(recorder.state.persistentPrevent, false);
  });

  it('PREVENT with Persistent on a drive that rejects it: 5/24/00', async () => {
    const { drive } = await host({ media: 'cd-r', persistentPreventSupported: false });
    await refused(
      drive.run(preventAllowMediumRemoval({ prevent: true, persistent: true })),
      [5, 0x24, 0],
      'E_INVALIDARG',
    );
    await drive.run(preventAllowMediumRemoval({ prevent: true }));
  });

  it('RESERVE(6)/RELEASE(6) when supported, and 5/20/00 (E_NOTIMPL) when not', async () => {
    const on = await host({ media: 'cd-r' });
    await on.drive.run(reserve6());
    assert.equal(on.recorder.state.reserved, true);
    await on.drive.run(release6());
    assert.equal(on.recorder.state.reserved, false);
    const off = await host({ media: 'cd-r', reserveSupported: false });
    await refused(off.drive.run(reserve6()), [5, 0x20, 0], 'E_NOTIMPL');
    await refused(off.drive.run(release6()), [5, 0x20, 0], 'E_NOTIMPL');
  });
});

// ==============================================================================================
// Refusals through the host's typed errors
// ==============================================================================================

describe('conformance: refusals', T, () => {
  it('invalid opcode 5/20/00 (E_NOTIMPL), short CDB 5/24/00', async () => {
    const { drive } = await host({ media: 'cd-rom' });
    await refused(drive.run(noData(Uint8Array.of(0xff, 0, 0, 0, 0, 0))), [5, 0x20, 0], 'E_NOTIMPL');
    await refused(
      drive.run(noData(Uint8Array.of(0x1a, 0, 0x2a, 0, 0xff, 0))),
      [5, 0x20, 0],
      'E_NOTIMPL',
    );
    await refused(
      drive.run(noData(Uint8Array.of(0x28, 0, 0, 0, 0, 0))),
      [5, 0x24, 0],
      'E_INVALIDARG',
    );
  });

  it('invalid field in CDB and in the parameter list', async () => {
    const { drive } = await host({ media: 'cd-r' });
    await refused(
      drive.run(readTocPmaAtip({ format: TocFormat.Pma })),
      [5, 0x24, 0],
      'E_INVALIDARG',
    );
    await refused(drive.run(readDiscInformation({ dataType: 1 })), [5, 0x24, 0], 'E_INVALIDARG');
    await refused(drive.run(closeTrackSession({ closeFunction: 7 })), [5, 0x24, 0], 'E_INVALIDARG');
    const list = new Uint8Array(8 + 12);
    list.set([0x01, 0x0a], 8); // page 01h: not a page this drive has
    await refused(
      drive.run(modeSelect10(list)),
      [5, 0x26, 0],
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
    await refused(
      drive.run(modeSelect10(list.subarray(0, 12))),
      [5, 0x1a, 0],
      'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
    );
  });

  it('LBA out of range 5/21/00 and invalid write address 5/21/02', async () => {
    const { drive } = await host({ media: 'bd-r' });
    await refused(drive.run(read10({ lba: 0, blocks: 1 })), [5, 0x21, 0], 'E_INVALIDARG');
    await refused(
      drive.run(write10({ lba: 5, data: pattern(1, 0) })),
      [5, 0x21, 2],
      'E_INVALIDARG',
    );
    await refused(
      drive.run(readTrackInformation({ addressType: TrackAddressType.Lba, address: 0xffffff00 })),
      [5, 0x21, 0],
      'E_INVALIDARG',
    );
  });

  it('command sequence error 5/2C/00; write protected 7/27/00', async () => {
    const { drive, recorder } = await host({ media: 'cd-r' });
    await refused(
      drive.run(closeTrackSession({ closeFunction: CloseFunction.Session })),
      [5, 0x2c, 0],
      'E_FAIL',
    );
    recorder.writeProtected = true;
    await refused(
      drive.run(write10({ lba: 0, data: pattern(1, 0) })),
      [7, 0x27, 0],
      'E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED',
    );
  });

  it('no medium 2/3A/01; becoming ready 2/04/01 is waited out, or reported when it lasts', async () => {
    const clock = new ManualClock();
    const { drive, recorder } = await host({ media: 'cd-rom', clock });
    clock.advance(TIMING.spinUpMs);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    recorder.removeMedia();
    await refused(drive.run(readCapacity10()), [2, 0x3a, 0x01], 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
    recorder.changeMedia('dvd-rom');
    await refused(
      drive.run(readCapacity10(), { notReadyBudgetMs: 60 }),
      [2, 0x04, 0x01],
      'E_IMAPI_RECORDER_MEDIA_BECOMING_READY',
    );
    // While ScsiDrive polls, the disc spins up: the command then goes through.
    const pending = drive.run(readCapacity10());
    setTimeout(() => clock.advance(TIMING.spinUpMs), 30);
    const cap = parseCapacity((await pending).data);
    assert.equal(cap.lastLba, MEDIA['dvd-rom'].capacity - 1);
  });

  it('unit attention after a media change: 6/28/00 raw, refreshed and retried by ScsiDrive', async () => {
    const { drive, transport, recorder, attentions } = await host({ media: 'cd-rom' });
    recorder.changeMedia('dvd-rom');
    const raw = await transport.execute(readCapacity10());
    assert.deepEqual(senseOf(raw), [6, 0x28, 0]);
    const typed = commandError(readCapacity10(), raw);
    assert.equal(typed.hresultName, 'E_IMAPI_RECORDER_MEDIA_BECOMING_READY');
    assert.equal(lookupSense(raw.sense!, 0x25).policy, 'refresh');
    recorder.changeMedia('cd-rom');
    const cap = parseCapacity((await drive.run(readCapacity10())).data);
    assert.equal(cap.lastLba, MEDIA['cd-rom'].capacity - 1);
    assert.deepEqual(
      attentions.map((s) => [s.key, s.asc]),
      [[6, 0x28]],
    );
  });

  it('unit attention after a reset: 6/29/00 raw, refreshed and retried by ScsiDrive', async () => {
    const { drive, transport, recorder, attentions } = await host({ media: 'cd-rom' });
    await transport.reset();
    assert.equal(recorder.counters.bulkResets, 1);
    const raw = await transport.execute(testUnitReady());
    assert.deepEqual(senseOf(raw), [6, 0x29, 0]);
    assert.equal(
      commandError(testUnitReady(), raw).hresultName,
      'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE',
    );
    await transport.reset();
    assert.equal((await drive.run(testUnitReady())).status, 'good');
    assert.deepEqual(
      attentions.map((s) => [s.key, s.asc]),
      [[6, 0x29]],
    );
  });

  it('reservation conflict: status 1 with empty sense; ScsiDrive asks again', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.reservationConflict();
    const raw = await transport.execute(inquiry());
    assert.equal(raw.status, 'check-condition');
    assert.deepEqual(senseOf(raw), [0, 0, 0]);
    assert.equal(commandError(inquiry(), raw).hresultName, 'E_IMAPI_RECORDER_LOCKED');
    recorder.faults.reservationConflict();
    assert.equal((await drive.run(inquiry())).status, 'good');
  });

  it('buffer full 2/04/08: ScsiDrive resends the WRITE once the buffer drains', async () => {
    const clock = new ManualClock();
    const { drive, recorder } = await host({ media: 'dvd+r', clock, bufferBytes: 256 * 1024 });
    clock.advance(TIMING.spinUpMs);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    await drive.run(write10({ lba: 0, data: pattern(128, 1) }));
    const pending = drive.run(write10({ lba: 128, data: pattern(16, 2) }));
    setTimeout(() => clock.advance(60_000), 50);
    assert.equal((await pending).status, 'good');
    assert.ok(
      recorder.log.some((e) => e.sense?.key === 2 && e.sense.asc === 4 && e.sense.ascq === 8),
    );
    assert.equal(recorder.state.disc?.nextWritableAddress, 144);
  });

  it('long operations: IMMED BLANK reports progress through NOT READY until done', async () => {
    const { drive } = await host({ media: 'cd-rw', clock: { mode: 'scaled', factor: 200 } });
    await drive.waitReady();
    await drive.run(write10({ lba: 0, data: pattern(4, 1) }));
    await drive.run(blank({ type: BlankType.Minimal, immed: true }));
    const progress: number[] = [];
    await drive.run(readDiscInformation(), { onProgress: (f) => progress.push(f) });
    assert.ok(progress.length > 0, 'progress was reported');
    assert.ok(progress.every((f) => f >= 0 && f < 1));
    assert.equal((await discInfo(drive)).discStatus, DiscStatus.Blank);
  });
});
