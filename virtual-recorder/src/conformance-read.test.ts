/**
 * Conformance, medium by medium, under every personality (personalities.ts):
 * the read side (identity, configuration, events, disc and track information,
 * mode pages, buffer and speed) through the HOST library's codecs and sense
 * policy (conformance-harness.ts says how the two sides meet). A command the
 * personality lacks is checked as the host sees it: 5/20/00, E_NOTIMPL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BotOptions } from '../../usb-mass-storage/src/bot/transport.ts';
import { TruncatedResponseError, msfToLba } from '../../usb-mass-storage/src/scsi/bytes.ts';
import {
  FeatureCode,
  findFeature,
  parseConfiguration,
  parseConfigurationHeader,
} from '../../usb-mass-storage/src/scsi/features.ts';
import {
  ConfigurationRequestType,
  DiscStatus,
  EventClassMask,
  INVISIBLE_TRACK,
  LEAD_OUT_TRACK,
  MediaEventCode,
  NotificationClass,
  TocFormat,
  TrackAddressType,
  getConfiguration,
  getEventStatusNotification,
  mechanismStatus,
  parseAtip,
  parseBufferCapacity,
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
  setCdSpeed,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  MultiSession,
  WriteType,
  encodeModeParameterList,
  findModePage,
  parseCapabilities,
  parseModeParameterList,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import {
  PageControl,
  inquiry,
  modeSelect10,
  modeSense10,
  parseInquiry,
  parseRequestSense,
  requestSense,
  testUnitReady,
} from '../../usb-mass-storage/src/scsi/spc.ts';
import {
  parseCapacity,
  read10,
  readCapacity10,
  synchronizeCache10,
} from '../../usb-mass-storage/src/scsi/sbc.ts';
import { DRIVE_PROFILES, MEDIA, type VirtualRecorderOptions } from './index.ts';
import {
  T,
  SECTOR,
  refused,
  rejects,
  configuration,
  discInfo,
  trackInfo,
  page05,
  selectPage05,
  kindOf,
  isCd,
  profileOf,
  hostUnder,
  mediaUnder,
  needsUnder,
  Needs,
  PERSONALITY_NAMES,
} from './conformance-harness.test.ts';

for (const personality of PERSONALITY_NAMES) {
  for (const name of mediaUnder(personality)) {
    const media = MEDIA[name];
    const host = (options: VirtualRecorderOptions = {}, bot: BotOptions = {}) =>
      hostUnder(personality, options, bot);
    const itNeeds = needsUnder(personality, name);
    describe(`conformance (${personality}): ${name}`, T, () => {
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

      itNeeds(
        [Needs.GetConfiguration],
        'GET CONFIGURATION RT 0/1/2: profiles, current profile and features decode',
        async () => {
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
          expectCurrent(
            FeatureCode.RandomReadable,
            kindOf(media) === 'rom' || media.formattedAlways,
          );
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
          const one = await configuration(
            drive,
            ConfigurationRequestType.One,
            FeatureCode.CdMastering,
          );
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
        },
      );

      itNeeds([Needs.Gesn], 'GET EVENT STATUS NOTIFICATION and MECHANISM STATUS', async () => {
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
          (
            await drive.run(
              getEventStatusNotification({ classMask: EventClassMask.PowerManagement }),
            )
          ).data,
        );
        assert.deepEqual([other.noEventAvailable, other.event], [true, undefined]);
        const mech = parseMechanismStatus((await drive.run(mechanismStatus())).data);
        assert.deepEqual([mech.doorOpen, mech.fault, mech.slots.length], [false, false, 0]);
      });

      itNeeds(
        [Needs.ReadDiscInformation, Needs.ReadTrackInformation],
        'READ CAPACITY, READ DISC/TRACK INFORMATION and READ TOC as the disc is',
        async () => {
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
          assert.deepEqual(cap, {
            lastLba: Math.max(0, disc.readableBlocks - 1),
            blockLength: 2048,
          });
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
            const cut = await drive.run(
              readTocPmaAtip({ format: TocFormat.Toc, allocationLength: 4 }),
            );
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
          } else if (media.formattedAlways) {
            // DVD-RW in restricted overwrite: formatted, one track over the disc, all of it readable.
            assert.equal(di.discStatus, DiscStatus.Complete);
            assert.deepEqual([t1.blank, t1.trackSize, t1.nwaValid], [false, media.capacity, false]);
            assert.equal((await drive.run(read10({ lba: 0, blocks: 1 }))).data.length, SECTOR);
          } else {
            // Blank recordable, or unformatted DVD+RW/BD-RE: no TOC, nothing to read.
            assert.equal(di.discStatus, DiscStatus.Blank);
            assert.equal(t1.blank, true);
            await refused(
              drive.run(readTocPmaAtip({ format: TocFormat.Toc })),
              [5, 0x24, 0],
              'E_INVALIDARG',
            );
            await refused(
              drive.run(read10({ lba: 0, blocks: 1 })),
              [5, 0x21, 0x00],
              'E_INVALIDARG',
            );
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
            (
              await drive.run(
                readTrackInformation({ addressType: TrackAddressType.Lba, address: 0 }),
              )
            ).data,
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
          await refused(
            drive.run(readTrackInformation({ address: 7 })),
            [5, 0x24, 0],
            'E_INVALIDARG',
          );
        },
      );

      itNeeds(
        [Needs.CapabilitiesPage],
        'MODE SENSE/SELECT pages 05h and 2Ah: current, changeable, default, round trip',
        async () => {
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
              modeSense10({
                pageCode: ModePageCode.WriteParameters,
                pageControl: PageControl.Saved,
              }),
            ),
            [5, 0x39, 0],
            'E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE',
          );

          await selectPage05(drive, {
            multiSession: MultiSession.Open,
            writeType: WriteType.Packet,
          });
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
            (
              await drive.run(
                modeSense10({ pageCode: ModePageCode.AllPages, allocationLength: 1024 }),
              )
            ).data,
          );
          assert.deepEqual(
            all.pages.map((p) => p[0]! & 0x3f),
            [ModePageCode.WriteParameters, ModePageCode.Capabilities],
          );
          assert.deepEqual(all.blockDescriptors.length, 0);
        },
      );

      itNeeds([Needs.ReadBufferCapacity], 'READ BUFFER CAPACITY and SET CD SPEED', async () => {
        const { drive, recorder } = await host({ media: name, bufferBytes: 2 * 1024 * 1024 });
        const bytes = parseBufferCapacity((await drive.run(readBufferCapacity())).data);
        assert.deepEqual(bytes, {
          bufferLength: 2 * 1024 * 1024,
          availableLength: 2 * 1024 * 1024,
        });
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

      if (personality === 'bare-cdrom-bridge' && media.kind === 'rom') {
        it('READ CAPACITY, READ TOC and READ(10) answer without disc or track information', async () => {
          const { drive } = await host({ media: name });
          const cap = parseCapacity((await drive.run(readCapacity10())).data);
          assert.deepEqual(cap, { lastLba: media.capacity - 1, blockLength: 2048 });
          const toc = parseToc((await drive.run(readTocPmaAtip({ format: TocFormat.Toc }))).data);
          assert.deepEqual(
            toc.tracks.map((t) => [t.trackNumber, t.address]),
            [
              [1, 0],
              [LEAD_OUT_TRACK, media.capacity],
            ],
          );
          const sector = await drive.run(read10({ lba: 16, blocks: 1 }));
          assert.equal(String.fromCharCode(...sector.data.subarray(1, 6)), 'CD001');
        });
      }
    });
  }
}
