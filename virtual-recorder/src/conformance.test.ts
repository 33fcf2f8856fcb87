/**
 * Conformance: the HOST library (usb-mass-storage: BulkOnlyTransport,
 * ScsiDrive and its sense-table policy, the scsi/*.ts builders and parsers)
 * against the virtual recorder, command by command and medium by medium.
 *
 * The two sides were written apart on purpose: the device builds its
 * responses in responses/ and parses CDBs itself, the host has its own
 * codecs. Every response here goes through the host's parser and is checked
 * against what the device's state says it must be; every refusal comes back
 * as the host's typed error (ScsiCommandError with the sense and the HRESULT
 * name the sense table gives it). Where the two sides disagreed, the spec
 * decided which one was wrong (see the README of this directory).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BulkOnlyTransport,
  type BotOptions,
  type CommandResult,
} from '../../usb-mass-storage/src/bot/transport.ts';
import { ScsiDrive, commandError } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import {
  CommandTimeoutError,
  DeviceGoneError,
  ScsiCommandError,
  TransportError,
  WebdiscError,
} from '../../usb-mass-storage/src/errors.ts';
import type { HResultName } from '../../contract/hresult.ts';
import { TruncatedResponseError } from '../../usb-mass-storage/src/scsi/bytes.ts';
import { type ScsiRequest, noData } from '../../usb-mass-storage/src/scsi/command.ts';
import {
  FeatureCode,
  findFeature,
  parseConfiguration,
  parseConfigurationHeader,
  type Configuration,
  type Feature,
} from '../../usb-mass-storage/src/scsi/features.ts';
import {
  BlankType,
  CloseFunction,
  ConfigurationRequestType,
  DiscStatus,
  EventClassMask,
  FormatType,
  INVISIBLE_TRACK,
  LEAD_OUT_TRACK,
  MediaEventCode,
  NotificationClass,
  SessionState,
  TocFormat,
  TrackAddressType,
  blank,
  closeTrackSession,
  dataTrackCueSheet,
  formatUnit,
  getConfiguration,
  getEventStatusNotification,
  mechanismStatus,
  parseAtip,
  parseBufferCapacity,
  parseDiscInformation,
  parseEventStatus,
  parseFullToc,
  parseMechanismStatus,
  parseSessionInfo,
  parseToc,
  parseTrackInformation,
  readBufferCapacity,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
  setCdSpeed,
  type DiscInformation,
  type TrackInformation,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  MultiSession,
  WriteType,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  parseCapabilities,
  parseModeParameterList,
  parseWriteParameters,
  type WriteParameters,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { lookupSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { msfToLba } from '../../usb-mass-storage/src/scsi/bytes.ts';
import type { Sense } from '../../usb-mass-storage/src/scsi/sense.ts';
import {
  PageControl,
  inquiry,
  modeSelect10,
  modeSense10,
  parseInquiry,
  parseRequestSense,
  preventAllowMediumRemoval,
  release6,
  requestSense,
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
  synchronizeCache10,
  write10,
} from '../../usb-mass-storage/src/scsi/sbc.ts';
import {
  DRIVE_PROFILES,
  MEDIA,
  MEDIA_NAMES,
  ManualClock,
  SENSE,
  TIMING,
  createVirtualRecorder,
  type MediaInfo,
  type MediaName,
  type VirtualRecorder,
  type VirtualRecorderOptions,
} from './index.ts';

const T = { timeout: 30_000 };
const SECTOR = 2048;

interface Host {
  readonly recorder: VirtualRecorder;
  readonly transport: BulkOnlyTransport;
  readonly drive: ScsiDrive;
  /** Unit attentions ScsiDrive refreshed on (and retried after). */
  readonly attentions: Sense[];
}

/** The host library connected to a fresh virtual recorder, power-on attention consumed. */
async function host(options: VirtualRecorderOptions = {}, bot: BotOptions = {}): Promise<Host> {
  const recorder = createVirtualRecorder(options);
  const transport = await BulkOnlyTransport.connect(recorder.device, bot);
  const drive = new ScsiDrive(transport);
  const attentions: Sense[] = [];
  drive.onUnitAttention = (sense) => {
    attentions.push(sense);
  };
  // No waiting here: a manual clock has not spun the disc up yet.
  await drive.run(testUnitReady(), { allowCheckCondition: true, notReadyBudgetMs: 0 });
  attentions.length = 0;
  return { recorder, transport, drive, attentions };
}

/** `promise` must reject with ScsiCommandError carrying `triple` and `hresult` (the table's name). */
async function refused(
  promise: Promise<unknown>,
  triple: readonly [number, number, number],
  hresult: HResultName,
): Promise<ScsiCommandError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ScsiCommandError, `expected ScsiCommandError, got ${String(error)}`);
    assert.deepEqual(
      [error.sense?.key, error.sense?.asc, error.sense?.ascq],
      [...triple],
      error.message,
    );
    assert.equal(error.hresultName, hresult, error.message);
    return error;
  }
  assert.fail(`expected ${triple.join('/')} (${hresult})`);
}

/** Sense of a raw transport result (no ScsiDrive policy in between). */
function senseOf(r: CommandResult): [number, number, number] | undefined {
  return r.sense ? [r.sense.key, r.sense.asc, r.sense.ascq] : undefined;
}

async function rejects<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}`);
}

function pattern(blocks: number, seed: number): Uint8Array {
  const b = new Uint8Array(blocks * SECTOR);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13 + seed * 7) & 0xff;
  return b;
}

async function configuration(drive: ScsiDrive, rt = 0, start = 0): Promise<Configuration> {
  const r = await drive.run(
    getConfiguration({ requestType: rt, startingFeature: start, allocationLength: 0xfff0 }),
  );
  return parseConfiguration(r.data);
}

async function discInfo(drive: ScsiDrive): Promise<DiscInformation> {
  return parseDiscInformation((await drive.run(readDiscInformation())).data);
}

async function trackInfo(drive: ScsiDrive, track: number): Promise<TrackInformation> {
  return parseTrackInformation((await drive.run(readTrackInformation({ address: track }))).data);
}

async function page05(drive: ScsiDrive, pageControl: number = PageControl.Current) {
  const r = await drive.run(modeSense10({ pageCode: ModePageCode.WriteParameters, pageControl }));
  const list = parseModeParameterList(r.data);
  const page = findModePage(list, ModePageCode.WriteParameters);
  assert.ok(page, 'page 05h present');
  return parseWriteParameters(page);
}

async function selectPage05(drive: ScsiDrive, change: Partial<WriteParameters>): Promise<void> {
  const current = await page05(drive);
  const page = encodeWriteParameters({ ...current, ps: false, ...change });
  const list = encodeModeParameterList(
    {
      mediumType: 0,
      deviceSpecific: 0,
      longLba: false,
      blockDescriptors: new Uint8Array(0),
      pages: [page],
    },
    { select: true },
  );
  await drive.run(modeSelect10(list));
}

const kindOf = (m: MediaInfo) => m.kind;
const isCd = (m: MediaInfo) => m.family === 'cd';
const profileOf = (name: MediaName) => MEDIA[name].profile;

// ==============================================================================================
// Medium by medium
// ==============================================================================================

for (const name of MEDIA_NAMES) {
  const media = MEDIA[name];
  describe(`conformance: ${name}`, T, () => {
    it('TEST UNIT READY, REQUEST SENSE, INQUIRY', async () => {
      const { drive, transport } = await host({
        media: name,
        inquiry: { vendor: 'ACME', product: 'Writer 9000', revision: '1.2' },
      });
      if (name === 'none') {
        await refused(
          drive.run(testUnitReady()),
          [2, 0x3a, 0x01],
          'E_IMAPI_RECORDER_MEDIA_NO_MEDIA',
        );
      } else {
        assert.equal((await drive.run(testUnitReady())).status, 'good');
      }
      // REQUEST SENSE by hand: the pending sense of the last failure, then the drive's state.
      const fail = await transport.execute(read10({ lba: 0xfffffff0, blocks: 1 }), {
        noAutoSense: true,
      });
      assert.equal(fail.status, 'check-condition');
      const first = parseRequestSense((await drive.run(requestSense())).data);
      assert.deepEqual(
        [first.key, first.asc, first.ascq],
        name === 'none' ? [2, 0x3a, 0x01] : [5, 0x21, 0x00],
      );
      const second = parseRequestSense((await drive.run(requestSense())).data);
      assert.deepEqual(
        [second.key, second.asc, second.ascq],
        name === 'none' ? [2, 0x3a, 0x01] : [0, 0, 0],
      );
      await refused(
        drive.run(requestSense({ descriptorFormat: true })),
        [5, 0x24, 0],
        'E_INVALIDARG',
      );
      const id = parseInquiry((await drive.run(inquiry())).data);
      assert.deepEqual(id, {
        peripheralQualifier: 0,
        deviceType: 5,
        removable: true,
        version: 5,
        responseDataFormat: 2,
        vendor: 'ACME',
        product: 'Writer 9000',
        revision: '1.2',
      });
      await refused(
        drive.run(inquiry({ evpd: true, pageCode: 0x83 })),
        [5, 0x24, 0],
        'E_INVALIDARG',
      );
    });

    it('GET CONFIGURATION RT 0/1/2: profiles, current profile and features decode', async () => {
      const { drive } = await host({ media: name, serial: 'CONF0001' });
      const all = await configuration(drive, ConfigurationRequestType.All);
      assert.equal(all.currentProfile, profileOf(name));
      const codes = all.features.map((f) => f.code);
      assert.deepEqual(
        codes,
        [...codes].sort((a, b) => a - b),
      );
      const list = findFeature(all, FeatureCode.ProfileList);
      assert.equal(list?.kind, 'profileList');
      if (list?.kind === 'profileList') {
        assert.deepEqual(
          list.profiles.map((p) => p.profile),
          DRIVE_PROFILES,
        );
        assert.deepEqual(
          list.profiles.filter((p) => p.current).map((p) => p.profile),
          name === 'none' ? [] : [profileOf(name)],
        );
      }
      const core = findFeature(all, FeatureCode.Core);
      assert.ok(core?.kind === 'core' && core.physicalInterface === 8 && core.current);
      const removable = findFeature(all, FeatureCode.RemovableMedium);
      assert.ok(
        removable?.kind === 'removableMedium' &&
          removable.loadingMechanism === 1 &&
          removable.eject &&
          removable.lock,
      );
      const serial = findFeature(all, FeatureCode.DriveSerialNumber);
      assert.ok(serial?.kind === 'serialNumber' && serial.serialNumber === 'CONF0001');
      // Every feature the drive lists decodes to a value (typed or raw).
      for (const f of all.features) assert.ok(f.kind.length > 0);

      const writable = media.kind === 'write-once' || media.kind === 'erasable';
      const expectCurrent = (code: number, current: boolean) => {
        const f = findFeature(all, code);
        assert.ok(f, `feature ${code.toString(16)} listed`);
        assert.equal(f.current, current, `feature ${code.toString(16)} current on ${name}`);
        return f;
      };
      expectCurrent(FeatureCode.RandomReadable, kindOf(media) === 'rom');
      expectCurrent(FeatureCode.CdRead, isCd(media));
      expectCurrent(FeatureCode.DvdRead, media.family === 'dvd');
      expectCurrent(FeatureCode.BdRead, media.family === 'bd');
      expectCurrent(FeatureCode.Formattable, media.kind === 'formattable');
      const tao = expectCurrent(FeatureCode.CdTrackAtOnce, isCd(media) && writable);
      const mastering = expectCurrent(FeatureCode.CdMastering, isCd(media) && writable);
      const dvdR = expectCurrent(
        FeatureCode.DvdRWrite,
        (name === 'dvd-r' || name === 'dvd-rw') && writable,
      );
      assert.ok(tao.kind === 'cdTrackAtOnce' && tao.testWrite && tao.buf);
      assert.ok(
        mastering.kind === 'cdMastering' &&
          mastering.sao &&
          mastering.testWrite &&
          mastering.maxCueSheetLength === 0xf00,
      );
      assert.ok(dvdR.kind === 'dvdRWrite' && dvdR.testWrite);
      expectCurrent(FeatureCode.DvdPlusR, name === 'dvd+r' && writable);
      expectCurrent(FeatureCode.BdWrite, name === 'bd-r');

      const current = await configuration(drive, ConfigurationRequestType.Current);
      assert.equal(current.currentProfile, profileOf(name));
      assert.ok(current.features.every((f) => f.current));
      assert.deepEqual(
        current.features.map((f) => f.code),
        all.features.filter((f) => f.current).map((f) => f.code),
      );
      const one = await configuration(drive, ConfigurationRequestType.One, FeatureCode.CdMastering);
      assert.deepEqual(
        one.features.map((f) => f.code),
        [FeatureCode.CdMastering],
      );
      const from = await configuration(drive, ConfigurationRequestType.All, 0x0100);
      assert.deepEqual(
        from.features.map((f) => f.code),
        [FeatureCode.RealTimeStreaming, FeatureCode.DriveSerialNumber],
      );
      const none = await configuration(drive, ConfigurationRequestType.One, 0x0030);
      assert.deepEqual([none.features.length, none.currentProfile], [0, profileOf(name)]);

      // A short allocation: the header still says how much there is (MMC-6 §4.1.8.3).
      const short = await drive.run(getConfiguration({ allocationLength: 8 }));
      const header = parseConfigurationHeader(short.data);
      assert.equal(header.currentProfile, profileOf(name));
      const error = await rejects(
        Promise.resolve().then(() => parseConfiguration(short.data)),
        TruncatedResponseError,
      );
      assert.equal(error.needed, header.totalLength);
    });

    it('GET EVENT STATUS NOTIFICATION and MECHANISM STATUS', async () => {
      const { drive } = await host({ media: name });
      const events = parseEventStatus((await drive.run(getEventStatusNotification())).data);
      assert.equal(events.noEventAvailable, false);
      assert.equal(events.notificationClass, NotificationClass.Media);
      assert.equal(events.supportedClasses, EventClassMask.Media);
      assert.deepEqual(events.event, {
        kind: 'media',
        eventCode: MediaEventCode.NoChange,
        mediaPresent: name !== 'none',
        doorOpen: false,
        startSlot: 0,
        endSlot: 0,
      });
      const other = parseEventStatus(
        (await drive.run(getEventStatusNotification({ classMask: EventClassMask.PowerManagement })))
          .data,
      );
      assert.deepEqual([other.noEventAvailable, other.event], [true, undefined]);
      const mech = parseMechanismStatus((await drive.run(mechanismStatus())).data);
      assert.deepEqual([mech.doorOpen, mech.fault, mech.slots.length], [false, false, 0]);
    });

    it('READ CAPACITY, READ DISC/TRACK INFORMATION and READ TOC as the disc is', async () => {
      const { drive, recorder } = await host({ media: name });
      if (name === 'none') {
        for (const request of [
          readCapacity10(),
          readDiscInformation(),
          readTrackInformation({ address: 1 }),
          readTocPmaAtip({ format: TocFormat.Toc }),
          read10({ lba: 0, blocks: 1 }),
          synchronizeCache10(),
        ]) {
          await refused(drive.run(request), [2, 0x3a, 0x01], 'E_IMAPI_RECORDER_MEDIA_NO_MEDIA');
        }
        return;
      }
      const disc = recorder.state.disc!;
      const cap = parseCapacity((await drive.run(readCapacity10())).data);
      assert.deepEqual(cap, { lastLba: Math.max(0, disc.readableBlocks - 1), blockLength: 2048 });
      const di = await discInfo(drive);
      assert.equal(di.discStatus, disc.status);
      assert.equal(di.lastSessionState, disc.lastSessionState);
      assert.equal(di.erasable, media.erasable);
      assert.equal(di.sessions, disc.sessions);
      assert.equal(di.firstTrack, 1);
      const t1 = await trackInfo(drive, 1);
      assert.deepEqual(
        [t1.trackNumber, t1.sessionNumber, t1.trackStart, t1.trackMode],
        [1, 1, 0, 4],
      );
      if (media.kind === 'rom') {
        assert.equal(di.discStatus, DiscStatus.Complete);
        assert.deepEqual([t1.trackSize, t1.nwaValid, t1.blank], [media.capacity, false, false]);
        const toc = parseToc((await drive.run(readTocPmaAtip({ format: TocFormat.Toc }))).data);
        assert.deepEqual(toc, {
          firstTrack: 1,
          lastTrack: 1,
          tracks: [
            { adr: 1, control: 4, trackNumber: 1, address: 0 },
            { adr: 1, control: 4, trackNumber: LEAD_OUT_TRACK, address: media.capacity },
          ],
        });
        if (isCd(media)) {
          const msf = parseToc(
            (await drive.run(readTocPmaAtip({ format: TocFormat.Toc, msf: true }))).data,
            { msf: true },
          );
          assert.deepEqual(msf, toc);
        }
        const leadOutOnly = parseToc(
          (
            await drive.run(
              readTocPmaAtip({ format: TocFormat.Toc, trackSessionNumber: LEAD_OUT_TRACK }),
            )
          ).data,
        );
        assert.deepEqual(
          leadOutOnly.tracks.map((t) => [t.trackNumber, t.address]),
          [[LEAD_OUT_TRACK, media.capacity]],
        );
        await refused(
          drive.run(readTocPmaAtip({ format: TocFormat.Toc, trackSessionNumber: 2 })),
          [5, 0x24, 0],
          'E_INVALIDARG',
        );
        const cut = await drive.run(readTocPmaAtip({ format: TocFormat.Toc, allocationLength: 4 }));
        const truncated = await rejects(
          Promise.resolve().then(() => parseToc(cut.data)),
          TruncatedResponseError,
        );
        assert.equal(truncated.needed, 20);
        const session = parseSessionInfo(
          (await drive.run(readTocPmaAtip({ format: TocFormat.SessionInfo }))).data,
        );
        assert.deepEqual(session, {
          firstSession: 1,
          lastSession: 1,
          adr: 1,
          control: 4,
          firstTrackInLastSession: 1,
          lastSessionStart: 0,
        });
        const full = parseFullToc(
          (await drive.run(readTocPmaAtip({ format: TocFormat.FullToc }))).data,
        );
        assert.deepEqual(
          full.entries.map((e) => e.point),
          [0xa0, 0xa1, 0xa2, 1],
        );
        const a2 = full.entries[2]!;
        assert.equal((a2.pmin * 60 + a2.psec) * 75 + a2.pframe - 150, media.capacity);
        await refused(
          drive.run(readTocPmaAtip({ format: TocFormat.Atip })),
          [5, 0x24, 0],
          'E_INVALIDARG',
        );
        const sector = await drive.run(read10({ lba: 16, blocks: 1 }));
        assert.equal(String.fromCharCode(...sector.data.subarray(1, 6)), 'CD001');
        await refused(
          drive.run(read10({ lba: media.capacity, blocks: 1 })),
          [5, 0x21, 0x00],
          'E_INVALIDARG',
        );
      } else {
        // Blank recordable, or unformatted DVD+RW/BD-RE: no TOC, nothing to read.
        assert.equal(di.discStatus, DiscStatus.Blank);
        assert.equal(t1.blank, true);
        await refused(
          drive.run(readTocPmaAtip({ format: TocFormat.Toc })),
          [5, 0x24, 0],
          'E_INVALIDARG',
        );
        await refused(drive.run(read10({ lba: 0, blocks: 1 })), [5, 0x21, 0x00], 'E_INVALIDARG');
        if (media.kind !== 'formattable') {
          assert.deepEqual(
            [t1.nwaValid, t1.nextWritableAddress, t1.freeBlocks],
            [true, 0, media.capacity],
          );
          const invisible = await trackInfo(drive, INVISIBLE_TRACK);
          assert.deepEqual(invisible, t1);
        }
        if (isCd(media)) {
          const atip = parseAtip(
            (await drive.run(readTocPmaAtip({ format: TocFormat.Atip }))).data,
          );
          assert.equal(atip.rewritable, media.erasable);
          const last = atip.lastLeadOutStart;
          assert.equal(msfToLba(last), media.capacity);
          // On CD, disc information carries addresses as 00 M S F (MMC-6 §6.22.3.1.12):
          // a blank disc's lead-in is the ATIP lead-in start, its last lead-out the ATIP one.
          const asMsf = (v: number) =>
            msfToLba({ minute: (v >>> 16) & 0xff, second: (v >>> 8) & 0xff, frame: v & 0xff });
          assert.equal(asMsf(di.lastSessionLeadInStart), msfToLba(atip.leadInStart));
          assert.equal(asMsf(di.lastPossibleLeadOutStart), media.capacity);
        } else if (media.kind !== 'formattable') {
          assert.deepEqual(
            [di.lastSessionLeadInStart, di.lastPossibleLeadOutStart],
            [0, media.capacity],
          );
        }
      }
      const byLba = parseTrackInformation(
        (await drive.run(readTrackInformation({ addressType: TrackAddressType.Lba, address: 0 })))
          .data,
      );
      assert.equal(byLba.trackNumber, 1);
      const bySession = parseTrackInformation(
        (
          await drive.run(
            readTrackInformation({ addressType: TrackAddressType.Session, address: 1 }),
          )
        ).data,
      );
      assert.deepEqual(bySession, t1);
      await refused(drive.run(readTrackInformation({ address: 7 })), [5, 0x24, 0], 'E_INVALIDARG');
    });

    it('MODE SENSE/SELECT pages 05h and 2Ah: current, changeable, default, round trip', async () => {
      const { drive } = await host({ media: name });
      const current = await page05(drive);
      assert.deepEqual(
        [current.writeType, current.trackMode, current.dataBlockType, current.audioPauseLength],
        [WriteType.TrackAtOnce, 4, 8, 150],
      );
      assert.equal(current.testWrite, false);
      const changeable = await page05(drive, PageControl.Changeable);
      const simulates = ['cd-r', 'cd-rw', 'dvd-r', 'dvd-rw', 'none'].includes(name);
      assert.equal(changeable.testWrite, simulates);
      assert.equal(changeable.writeType, 0x0f);
      assert.deepEqual(await page05(drive, PageControl.Default), current);
      await refused(
        drive.run(
          modeSense10({ pageCode: ModePageCode.WriteParameters, pageControl: PageControl.Saved }),
        ),
        [5, 0x39, 0],
        'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
      );

      await selectPage05(drive, { multiSession: MultiSession.Open, writeType: WriteType.Packet });
      const after = await page05(drive);
      assert.deepEqual(
        [after.multiSession, after.writeType],
        [MultiSession.Open, WriteType.Packet],
      );
      // The raw bytes the host did not name survive the round trip.
      assert.deepEqual(after.raw.subarray(16), current.raw.subarray(16));
      if (simulates) {
        await selectPage05(drive, { testWrite: true });
        assert.equal((await page05(drive)).testWrite, true);
      } else {
        await refused(
          selectPage05(drive, { testWrite: true }),
          [5, 0x26, 0],
          'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
        );
      }
      await refused(
        selectPage05(drive, { writeType: WriteType.Raw }),
        [5, 0x26, 0],
        'E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS',
      );

      const caps = await drive.run(modeSense10({ pageCode: ModePageCode.Capabilities }));
      const list = parseModeParameterList(caps.data);
      const page = parseCapabilities(findModePage(list, ModePageCode.Capabilities)!);
      assert.deepEqual(page.write, {
        cdR: true,
        cdRw: true,
        testWrite: true,
        dvdR: true,
        dvdRam: false,
      });
      assert.deepEqual(
        [page.loadingMechanism, page.eject, page.lock, page.lockState],
        [1, true, true, false],
      );
      assert.equal(page.bufferSize, 4096);
      assert.deepEqual(
        page.writeSpeeds.map((s) => s.speed),
        media.writeSpeeds,
      );
      assert.equal(page.maxWriteSpeed, media.writeSpeeds[0] ?? 0);
      // MODE SELECT of page 2Ah as read (nothing changeable): accepted unchanged.
      const echo = encodeModeParameterList({ ...list, pages: [page.raw] }, { select: true });
      await drive.run(modeSelect10(echo));
      await refused(
        drive.run(modeSense10({ pageCode: 0x01 })),
        [5, 0x24, 0],
        'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
      );
      const truncated = await drive.run(
        modeSense10({ pageCode: ModePageCode.Capabilities, allocationLength: 16 }),
      );
      const error = await rejects(
        Promise.resolve().then(() => parseModeParameterList(truncated.data)),
        TruncatedResponseError,
      );
      assert.equal(error.needed, caps.data.length);
      const all = parseModeParameterList(
        (await drive.run(modeSense10({ pageCode: ModePageCode.AllPages, allocationLength: 1024 })))
          .data,
      );
      assert.deepEqual(
        all.pages.map((p) => p[0]! & 0x3f),
        [ModePageCode.WriteParameters, ModePageCode.Capabilities],
      );
      assert.deepEqual(all.blockDescriptors.length, 0);
    });

    it('READ BUFFER CAPACITY and SET CD SPEED', async () => {
      const { drive, recorder } = await host({ media: name, bufferBytes: 2 * 1024 * 1024 });
      const bytes = parseBufferCapacity((await drive.run(readBufferCapacity())).data);
      assert.deepEqual(bytes, { bufferLength: 2 * 1024 * 1024, availableLength: 2 * 1024 * 1024 });
      const blocks = parseBufferCapacity(
        (await drive.run(readBufferCapacity({ block: true }))).data,
      );
      assert.equal(blocks.availableLength, 1024);
      const slowest = media.writeSpeeds[media.writeSpeeds.length - 1];
      await drive.run(setCdSpeed({ writeSpeed: 1 }));
      assert.equal(recorder.state.writeSpeed, slowest ?? 0);
      await drive.run(setCdSpeed());
      assert.equal(recorder.state.writeSpeed, media.writeSpeeds[0] ?? 0);
    });

    if (media.kind === 'write-once' || media.kind === 'erasable') {
      it('WRITE(10), SYNCHRONIZE CACHE, RESERVE TRACK, CLOSE TRACK/SESSION: TOC and info agree', async () => {
        const { drive, recorder } = await host({ media: name });
        const data = pattern(32, 1);
        await drive.run(write10({ lba: 0, data }));
        assert.deepEqual([...(await drive.run(read10({ lba: 0, blocks: 32 }))).data], [...data]);
        assert.deepEqual(parseCapacity((await drive.run(readCapacity10())).data).lastLba, 31);
        const open = await trackInfo(drive, INVISIBLE_TRACK);
        assert.deepEqual([open.nwaValid, open.nextWritableAddress, open.blank], [true, 32, false]);
        assert.equal(open.freeBlocks, media.capacity - 32);
        if (!isCd(media)) assert.deepEqual([open.lraValid, open.lastRecordedAddress], [true, 31]);
        await refused(
          drive.run(write10({ lba: 40, data: pattern(1, 2) })),
          [5, 0x21, 0x02],
          'E_INVALIDARG',
        );
        await drive.run(synchronizeCache10());
        await drive.run(closeTrackSession({ closeFunction: CloseFunction.Track, number: 1 }));
        const closed = await trackInfo(drive, 1);
        assert.deepEqual([closed.trackSize, closed.nwaValid, closed.freeBlocks], [32, false, 0]);
        await refused(
          drive.run(closeTrackSession({ closeFunction: CloseFunction.Track, number: 1 })),
          [5, 0x2c, 0],
          'E_FAIL',
        );
        const start2 = 32 + media.trackGap;
        await drive.run(reserveTrack({ size: 64 }));
        const reserved = await trackInfo(drive, 2);
        assert.deepEqual(
          [
            reserved.trackStart,
            reserved.trackSize,
            reserved.reservedTrack,
            reserved.nextWritableAddress,
          ],
          [start2, 64, true, start2],
        );
        await refused(drive.run(reserveTrack({ size: 0 })), [5, 0x24, 0], 'E_INVALIDARG');
        await refused(
          drive.run(write10({ lba: start2, data: pattern(65, 3) })),
          [5, 0x21, 0x00],
          'E_INVALIDARG',
        );
        await drive.run(write10({ lba: start2, data: pattern(64, 3) }));
        assert.equal((await trackInfo(drive, 2)).nwaValid, false); // a full reservation is complete
        await drive.run(closeTrackSession({ closeFunction: CloseFunction.Session, immed: true }));
        await drive.waitReady();

        const finalizes = isCd(media) || name === 'dvd-r' || name === 'dvd-rw';
        const di = await discInfo(drive);
        const toc = parseToc((await drive.run(readTocPmaAtip({ format: TocFormat.Toc }))).data);
        assert.deepEqual(toc, {
          firstTrack: 1,
          lastTrack: 2,
          tracks: [
            { adr: 1, control: 4, trackNumber: 1, address: 0 },
            { adr: 1, control: 4, trackNumber: 2, address: start2 },
            { adr: 1, control: 4, trackNumber: LEAD_OUT_TRACK, address: start2 + 64 },
          ],
        });
        const session = parseSessionInfo(
          (await drive.run(readTocPmaAtip({ format: TocFormat.SessionInfo }))).data,
        );
        assert.deepEqual([session.lastSession, session.lastSessionStart], [1, 0]);
        const full = parseFullToc(
          (await drive.run(readTocPmaAtip({ format: TocFormat.FullToc }))).data,
        );
        const points = full.entries.map((e) => e.point);
        if (finalizes) {
          assert.deepEqual(
            [
              di.discStatus,
              di.lastSessionState,
              di.sessions,
              di.firstTrackInLastSession,
              di.lastTrackInLastSession,
            ],
            [DiscStatus.Complete, SessionState.Complete, 1, 1, 2],
          );
          assert.deepEqual(points, [0xa0, 0xa1, 0xa2, 1, 2]);
          await refused(
            drive.run(readTrackInformation({ address: INVISIBLE_TRACK })),
            [5, 0x24, 0],
            'E_INVALIDARG',
          );
          await refused(
            drive.run(write10({ lba: start2 + 64, data: pattern(1, 4) })),
            [5, 0x21, 0x02],
            'E_INVALIDARG',
          );
        } else {
          // DVD+R, DVD+R DL, BD-R: CLOSE SESSION leaves the disc appendable (MMC-6 §6.3.2.3).
          const next = start2 + 64 + media.sessionGap.first;
          assert.deepEqual(
            [di.discStatus, di.lastSessionState, di.sessions, di.firstTrackInLastSession],
            [DiscStatus.Appendable, SessionState.Empty, 2, 3],
          );
          assert.deepEqual(points, [0xa0, 0xa1, 0xa2, 1, 2, 0xb0]);
          const t3 = await trackInfo(drive, INVISIBLE_TRACK);
          assert.deepEqual(
            [t3.trackNumber, t3.sessionNumber, t3.nextWritableAddress],
            [3, 2, next],
          );
          assert.equal(di.lastSessionLeadInStart, next);
          await drive.run(closeTrackSession({ closeFunction: CloseFunction.Finalize }));
          assert.equal((await discInfo(drive)).discStatus, DiscStatus.Complete);
        }
        assert.equal(recorder.state.disc?.readableBlocks, start2 + 64);
        if (media.kind === 'erasable') {
          await drive.run(blank({ type: BlankType.Minimal, immed: true }));
          await drive.waitReady();
          const again = await discInfo(drive);
          assert.deepEqual([again.discStatus, again.erasable], [DiscStatus.Blank, true]);
          assert.equal((await trackInfo(drive, 1)).blank, true);
          await refused(drive.run(blank({ type: BlankType.Track })), [5, 0x24, 0], 'E_INVALIDARG');
        } else {
          await refused(
            drive.run(blank({ type: BlankType.Full })),
            [5, 0x30, 0x05],
            'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
          );
        }
        await refused(
          drive.run(
            formatUnit({
              fov: false,
              dcrt: false,
              tryOut: false,
              immed: false,
              numberOfBlocks: 0,
              formatType: FormatType.DvdPlusRw,
              formatSubtype: 0,
              typeDependent: 0,
            }),
          ),
          [5, 0x30, 0x05],
          'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
        );
      });
    }

    if (media.kind === 'formattable') {
      it('FORMAT UNIT, then random WRITE(10)/READ(10); BLANK and RESERVE TRACK refused', async () => {
        const { drive, recorder } = await host({ media: name });
        await refused(
          drive.run(write10({ lba: 0, data: pattern(1, 1) })),
          [5, 0x30, 0x10],
          'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED',
        );
        const type = media.family === 'dvd' ? FormatType.DvdPlusRw : FormatType.BdReWithSpare;
        const progress: number[] = [];
        await drive.run(
          formatUnit({
            fov: false,
            dcrt: false,
            tryOut: false,
            immed: true,
            numberOfBlocks: 0xffffffff,
            formatType: type,
            formatSubtype: 0,
            typeDependent: 0,
          }),
        );
        await drive.waitReady({ onProgress: (f) => progress.push(f) });
        const di = await discInfo(drive);
        assert.equal(
          di.discStatus,
          media.family === 'dvd' ? DiscStatus.Complete : DiscStatus.Other,
        );
        if (media.family === 'dvd') assert.equal(di.bgFormatStatus, 3);
        const cap = parseCapacity((await drive.run(readCapacity10())).data);
        assert.equal(cap.lastLba, media.capacity - 1);
        const rw = findFeature(
          await configuration(drive, ConfigurationRequestType.Current),
          FeatureCode.RandomWritable,
        );
        assert.ok(rw?.kind === 'randomWritable' && rw.lastLba === media.capacity - 1);
        const a = pattern(16, 5);
        const b = pattern(16, 6);
        await drive.run(write10({ lba: 100_000, data: a }));
        await drive.run(write10({ lba: 32, data: b }));
        await drive.run(write10({ lba: 100_008, data: b.subarray(0, 4 * SECTOR) }));
        const back = (await drive.run(read10({ lba: 100_000, blocks: 16 }))).data;
        assert.deepEqual([...back.subarray(0, 8 * SECTOR)], [...a.subarray(0, 8 * SECTOR)]);
        assert.deepEqual(
          [...back.subarray(8 * SECTOR, 12 * SECTOR)],
          [...b.subarray(0, 4 * SECTOR)],
        );
        assert.deepEqual([...(await drive.run(read10({ lba: 32, blocks: 16 }))).data], [...b]);
        await refused(
          drive.run(write10({ lba: media.capacity, data: pattern(1, 1) })),
          [5, 0x21, 0x00],
          'E_INVALIDARG',
        );
        await drive.run(closeTrackSession({ closeFunction: CloseFunction.Session }));
        await refused(
          drive.run(closeTrackSession({ closeFunction: CloseFunction.Finalize })),
          [5, 0x24, 0],
          'E_INVALIDARG',
        );
        await refused(
          drive.run(reserveTrack({ size: 10 })),
          [5, 0x30, 0x05],
          'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
        );
        await refused(
          drive.run(blank({ type: BlankType.Minimal })),
          [5, 0x30, 0x05],
          'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
        );
        assert.equal(recorder.state.disc?.formatted, true);
      });
    }

    if (media.kind === 'rom') {
      it('writing commands are refused: incompatible medium', async () => {
        const { drive } = await host({ media: name });
        for (const request of [
          write10({ lba: 0, data: pattern(1, 1) }),
          reserveTrack({ size: 10 }),
          closeTrackSession({ closeFunction: CloseFunction.Track, number: 1 }),
          blank({ type: BlankType.Minimal }),
          sendCueSheet(dataTrackCueSheet({ sectors: 300 })),
        ]) {
          await refused(drive.run(request), [5, 0x30, 0x05], 'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE');
        }
      });
    }

    it('SEND CUE SHEET', async () => {
      const { drive, recorder } = await host({ media: name });
      const cue = dataTrackCueSheet({ sectors: 400 });
      if (name === 'none') {
        await refused(
          drive.run(sendCueSheet(cue)),
          [2, 0x3a, 0x01],
          'E_IMAPI_RECORDER_MEDIA_NO_MEDIA',
        );
        return;
      }
      if (!isCd(media) || media.kind === 'rom') {
        await refused(
          drive.run(sendCueSheet(cue)),
          [5, 0x30, 0x05],
          'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
        );
        return;
      }
      // TAO mode: a cue sheet is out of sequence.
      await refused(drive.run(sendCueSheet(cue)), [5, 0x2c, 0], 'E_FAIL');
      await selectPage05(drive, { writeType: WriteType.SessionAtOnce });
      await refused(drive.run(write10({ lba: 0, data: pattern(1, 1) })), [5, 0x2c, 0], 'E_FAIL');
      await refused(
        drive.run(sendCueSheet(dataTrackCueSheet({ sectors: 400, startLba: 150 }))),
        [5, 0x26, 0],
        'E_INVALIDARG',
      );
      await drive.run(sendCueSheet(cue));
      const data = pattern(400, 9);
      for (let lba = 0; lba < 400; lba += 100) {
        await drive.run(write10({ lba, data: data.subarray(lba * SECTOR, (lba + 100) * SECTOR) }));
      }
      await drive.run(synchronizeCache10({ immed: true }));
      await drive.waitReady();
      const toc = parseToc((await drive.run(readTocPmaAtip({ format: TocFormat.Toc }))).data);
      assert.deepEqual(
        toc.tracks.map((t) => [t.trackNumber, t.address]),
        [
          [1, 0],
          [LEAD_OUT_TRACK, 400],
        ],
      );
      const msf = parseToc(
        (await drive.run(readTocPmaAtip({ format: TocFormat.Toc, msf: true }))).data,
        { msf: true },
      );
      assert.deepEqual(msf, toc);
      const di = await discInfo(drive);
      assert.deepEqual(
        [di.discStatus, di.lastSessionState, di.sessions, di.lastTrackInLastSession],
        [DiscStatus.Complete, SessionState.Complete, 1, 1],
      );
      const t1 = await trackInfo(drive, 1);
      assert.deepEqual(
        [t1.trackStart, t1.trackSize, t1.blank, t1.nwaValid],
        [0, 400, false, false],
      );
      assert.deepEqual([...(await drive.run(read10({ lba: 0, blocks: 400 }))).data], [...data]);
      assert.equal(recorder.state.disc?.readableBlocks, 400);
    });
  });
}

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

// ==============================================================================================
// BOT level: the host's reset recovery against the device's fault injection
// ==============================================================================================

describe('conformance: Bulk-Only Transport faults and reset recovery', T, () => {
  it('stall data: the host clears the halt, reads the CSW, auto-sense says B/4B/00; ScsiDrive retries', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.stallData();
    const raw = await transport.execute(inquiry());
    assert.equal(raw.status, 'check-condition');
    assert.deepEqual(senseOf(raw), [0x0b, 0x4b, 0]);
    assert.equal(raw.data.length, 0);
    recorder.faults.stallData();
    const id = parseInquiry((await drive.run(inquiry())).data);
    assert.equal(id.deviceType, 5);
    assert.equal(recorder.counters.bulkResets, 0);
    assert.ok(recorder.counters.clearHalts >= 2);
  });

  it('stall CSW once: cleared and read again; twice: reset recovery and TransportError', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.stallCsw(1);
    assert.equal((await drive.run(testUnitReady())).status, 'good');
    assert.equal(recorder.counters.bulkResets, 0);
    recorder.faults.stallCsw(2);
    const error = await rejects(transport.execute(testUnitReady()), TransportError);
    assert.equal(error.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
    assert.equal(recorder.counters.bulkResets, 1);
    assert.equal((await drive.run(testUnitReady())).status, 'good'); // after 6/29/00
  });

  for (const [fault, arm] of [
    ['phase error', (r: VirtualRecorder) => r.faults.phaseError()],
    ['bad CSW signature', (r: VirtualRecorder) => r.faults.badCswSignature()],
    ['bad CSW tag', (r: VirtualRecorder) => r.faults.badCswTag()],
  ] as const) {
    it(`${fault}: TransportError after reset recovery, then the drive works`, async () => {
      const { drive, recorder, attentions } = await host({ media: 'cd-rom' });
      arm(recorder);
      const error = await rejects(drive.run(readCapacity10()), TransportError);
      assert.equal(error.hresultName, 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE');
      assert.equal(recorder.counters.bulkResets, 1);
      const cap = parseCapacity((await drive.run(readCapacity10())).data);
      assert.equal(cap.lastLba, MEDIA['cd-rom'].capacity - 1);
      assert.deepEqual(
        attentions.map((s) => [s.key, s.asc]),
        [[6, 0x29]],
      );
    });
  }

  for (const at of ['cbw', 'data', 'csw'] as const) {
    it(`no answer at the ${at}: CommandTimeoutError, reset recovery, then the drive works`, async () => {
      const { drive, recorder } = await host({ media: 'cd-rom' });
      recorder.faults.noAnswer(at);
      const error = await rejects(drive.run(inquiry(), { timeoutMs: 150 }), CommandTimeoutError);
      assert.equal(error.hresultName, 'E_IMAPI_RECORDER_COMMAND_TIMEOUT');
      assert.equal(recorder.counters.bulkResets, 1);
      assert.equal(parseInquiry((await drive.run(inquiry())).data).deviceType, 5);
    });
  }

  it('reset recovery clears PREVENT; afterReset asserts it again', async () => {
    const recorder = createVirtualRecorder({ media: 'dvd+r' });
    let reasserted = 0;
    const transport = await BulkOnlyTransport.connect(recorder.device, {
      afterReset: async (run: (r: ScsiRequest) => Promise<CommandResult>) => {
        reasserted++;
        // The first command after the reset sees 6/29/00: ask again.
        for (let i = 0; i < 3; i++) {
          if ((await run(preventAllowMediumRemoval({ prevent: true }))).status === 'good') break;
        }
      },
    });
    const drive = new ScsiDrive(transport);
    await drive.run(testUnitReady(), { allowCheckCondition: true });
    await drive.run(preventAllowMediumRemoval({ prevent: true }));
    recorder.faults.phaseError();
    await rejects(drive.run(testUnitReady()), TransportError);
    assert.equal(reasserted, 1);
    assert.equal(recorder.state.prevent, true);
    const transitions = recorder.preventHistory.map((t) => [t.prevent, t.cause]);
    assert.deepEqual(transitions, [
      [true, 'command'],
      [false, 'bulk-reset'],
      [true, 'command'],
    ]);
  });

  it('disconnect: DeviceGoneError for the command in flight and every later one', async () => {
    const { drive, transport, recorder } = await host({ media: 'cd-rom' });
    recorder.faults.noAnswer('csw');
    const pending = drive.run(inquiry(), { timeoutMs: 5000 });
    setTimeout(() => recorder.disconnect(), 20);
    const error = await rejects(pending, DeviceGoneError);
    assert.equal(error.hresultName, 'HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST');
    await rejects(drive.run(testUnitReady()), DeviceGoneError);
    assert.equal(transport.usable, false);
  });

  it('disconnect at the next CBW, and in the middle of a data phase', async () => {
    const a = await host({ media: 'bd-r' });
    a.recorder.faults.disconnectAtCommand(1);
    await rejects(a.drive.run(testUnitReady()), DeviceGoneError);
    const b = await host({ media: 'bd-r' });
    b.recorder.faults.disconnectAfterBytes(100_000);
    await rejects(b.drive.run(write10({ lba: 0, data: pattern(256, 1) })), DeviceGoneError);
    assert.equal(b.transport.usable, false);
  });

  it('a large WRITE crosses several transfers; errors there come back with their LBA', async () => {
    const { drive, recorder, transport } = await host(
      { media: 'bd-r' },
      { maxTransferSize: 64 * 1024 },
    );
    const data = pattern(512, 3); // 1 MiB in 16 transfers
    await drive.run(write10({ lba: 0, data }));
    assert.deepEqual(
      [...(await drive.run(read10({ lba: 500, blocks: 12 }))).data],
      [...data.subarray(500 * SECTOR)],
    );
    const big = await drive.run(read10({ lba: 0, blocks: 512 }));
    assert.deepEqual([big.transferred, big.residue], [512 * SECTOR, 0]);
    assert.deepEqual([...big.data], [...data]);
    recorder.faults.writeErrorAt(600);
    const error = await refused(
      drive.run(write10({ lba: 512, data: pattern(128, 4) })),
      [3, 0x0c, 0],
      'E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE',
    );
    assert.equal(error.sense?.information, 600);
    assert.equal(recorder.state.disc?.nextWritableAddress, 600);
    // The CSW residue counts the blocks the drive did not record (BOT §6.7.3 with status 1).
    recorder.faults.writeErrorAt(610);
    const raw = await transport.execute(write10({ lba: 600, data: pattern(20, 6) }));
    assert.deepEqual(senseOf(raw), [3, 0x0c, 0]);
    assert.deepEqual([raw.transferred, raw.residue], [20 * SECTOR, 10 * SECTOR]);
    recorder.faults.readErrorAt(10);
    const read = await transport.execute(read10({ lba: 0, blocks: 20 }));
    assert.deepEqual(senseOf(read), [3, 0x11, 0]);
    assert.equal(read.sense?.information, 10);
    // The blocks before the bad one arrive; the short data-in leaves a residue (BOT case 5).
    assert.deepEqual([read.data.length, read.residue], [10 * SECTOR, 10 * SECTOR]);
    assert.deepEqual([...read.data], [...data.subarray(0, 10 * SECTOR)]);
    recorder.faults.lossOfStreaming();
    await refused(
      drive.run(write10({ lba: 610, data: pattern(8, 5) })),
      [3, 0x0c, 0x09],
      'E_IMAPI_LOSS_OF_STREAMING',
    );
  });

  for (const shortDataIn of ['stall', 'pad', 'pad-zero-residue'] as const) {
    it(`a READ error inside a queued multi-transfer data-in (device ${shortDataIn}s)`, async () => {
      const { drive, transport, recorder } = await host(
        { media: 'bd-r', shortDataIn },
        { maxTransferSize: 64 * 1024, queueDepth: 4 },
      );
      const data = pattern(512, 8);
      await drive.run(write10({ lba: 0, data }));
      recorder.faults.readErrorAt(300);
      const r = await transport.execute(read10({ lba: 0, blocks: 512 }));
      assert.deepEqual(senseOf(r), [3, 0x11, 0]);
      assert.equal(r.sense?.information, 300);
      assert.deepEqual([...r.data.subarray(0, 300 * SECTOR)], [...data.subarray(0, 300 * SECTOR)]);
      // BOT §6.7.2: a device that stops early STALLs (or pads) and reports the residue.
      if (shortDataIn === 'stall') assert.equal(r.data.length, 300 * SECTOR);
      assert.equal(r.residue, shortDataIn === 'pad-zero-residue' ? 0 : 212 * SECTOR);
      assert.equal(recorder.counters.bulkResets, 0); // no phase error: no reset needed
      const again = await drive.run(read10({ lba: 0, blocks: 512 }));
      assert.deepEqual([...again.data], [...data]);
    });
  }

  it('typed errors are WebdiscErrors with the HRESULT value of their name', async () => {
    const { drive } = await host({ media: 'cd-rom' });
    const error = await refused(
      drive.run(write10({ lba: 0, data: pattern(1, 0) })),
      [5, 0x30, 5],
      'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
    );
    assert.ok(error instanceof WebdiscError);
    assert.equal(error.hresult, 0xc0aa0203);
    assert.equal(error.opcode, 0x2a);
  });
});

// A feature decodes the same whatever its code's typed codec: every listed one is reachable by RT=2.
describe('conformance: GET CONFIGURATION RT=2 for every listed feature', T, () => {
  it('each feature alone decodes to the same value as in the full list', async () => {
    const { drive } = await host({ media: 'cd-rw' });
    const all = await configuration(drive);
    for (const f of all.features) {
      const one = await configuration(drive, ConfigurationRequestType.One, f.code);
      assert.deepEqual(one.features, [f] as Feature[]);
    }
  });
});

describe('conformance: every sense the drive reports has a row in the host sense table', T, () => {
  for (const [name, code] of Object.entries(SENSE)) {
    it(`${name} ${code.key.toString(16)}/${code.asc.toString(16)}/${code.ascq.toString(16)}`, () => {
      const advice = lookupSense(code);
      assert.notEqual(advice.message, 'UNKNOWN SENSE', `${name} falls to the default row`);
    });
  }
});
