/**
 * Conformance, medium by medium, under every personality (personalities.ts):
 * the write side (WRITE, SYNCHRONIZE CACHE, RESERVE TRACK, CLOSE, FORMAT
 * UNIT, BLANK, SEND CUE SHEET and their refusals) through the HOST library
 * (conformance-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BotOptions } from '../../usb-mass-storage/src/bot/transport.ts';
import { FeatureCode, findFeature } from '../../usb-mass-storage/src/scsi/features.ts';
import {
  CapacityDescriptorType,
  parseFormatCapacities,
  readFormatCapacities,
} from '../../usb-mass-storage/src/scsi/format-capacities.ts';
import {
  BlankType,
  CloseFunction,
  ConfigurationRequestType,
  DiscStatus,
  FormatType,
  INVISIBLE_TRACK,
  LEAD_OUT_TRACK,
  SessionState,
  TocFormat,
  blank,
  closeTrackSession,
  dataTrackCueSheet,
  formatUnit,
  parseFullToc,
  parseSessionInfo,
  parseToc,
  readTocPmaAtip,
  readTrackInformation,
  reserveTrack,
  sendCueSheet,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import { WriteType } from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import {
  parseCapacity,
  read10,
  readCapacity10,
  synchronizeCache10,
  write10,
} from '../../usb-mass-storage/src/scsi/sbc.ts';
import { MEDIA, type VirtualRecorderOptions } from './index.ts';
import {
  T,
  SECTOR,
  refused,
  pattern,
  configuration,
  discInfo,
  trackInfo,
  selectPage05,
  isCd,
  hostUnder,
  mediaUnder,
  PERSONALITY_NAMES,
} from './conformance-harness.test.ts';

for (const personality of PERSONALITY_NAMES) {
  for (const name of mediaUnder(personality)) {
    const media = MEDIA[name];
    const host = (options: VirtualRecorderOptions = {}, bot: BotOptions = {}) =>
      hostUnder(personality, options, bot);
    describe(`conformance (${personality}): ${name}`, T, () => {
      if (media.kind === 'write-once' || media.kind === 'erasable') {
        it('WRITE(10), SYNCHRONIZE CACHE, RESERVE TRACK, CLOSE TRACK/SESSION: TOC and info agree', async () => {
          const { drive, recorder } = await host({ media: name });
          const data = pattern(32, 1);
          await drive.run(write10({ lba: 0, data }));
          assert.deepEqual([...(await drive.run(read10({ lba: 0, blocks: 32 }))).data], [...data]);
          assert.deepEqual(parseCapacity((await drive.run(readCapacity10())).data).lastLba, 31);
          const open = await trackInfo(drive, INVISIBLE_TRACK);
          assert.deepEqual(
            [open.nwaValid, open.nextWritableAddress, open.blank],
            [true, 32, false],
          );
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
            if (name === 'dvd+r-dl') {
              // 110b is refused on DVD+R DL: 101b, minimal radius (growisofs plus_r_finalize).
              await refused(
                drive.run(closeTrackSession({ closeFunction: CloseFunction.Finalize })),
                [5, 0x24, 0],
                'E_INVALIDARG',
              );
            }
            const finalize =
              name === 'dvd+r-dl' ? CloseFunction.FinalizeMinimalRadius : CloseFunction.Finalize;
            await drive.run(closeTrackSession({ closeFunction: finalize }));
            assert.equal((await discInfo(drive)).discStatus, DiscStatus.Complete);
          }
          assert.equal(recorder.state.disc?.readableBlocks, start2 + 64);
          if (media.kind === 'erasable') {
            await drive.run(blank({ type: BlankType.Minimal, immed: true }));
            await drive.waitReady();
            const again = await discInfo(drive);
            assert.deepEqual([again.discStatus, again.erasable], [DiscStatus.Blank, true]);
            assert.equal((await trackInfo(drive, 1)).blank, true);
            await refused(
              drive.run(blank({ type: BlankType.Track })),
              [5, 0x24, 0],
              'E_INVALIDARG',
            );
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

      if (media.kind === 'formattable' && !media.formattedAlways) {
        it('FORMAT UNIT, then random WRITE(10)/READ(10); BLANK and RESERVE TRACK refused', async () => {
          const { drive, recorder } = await host({ media: name });
          await refused(
            drive.run(write10({ lba: 0, data: pattern(1, 1) })),
            [5, 0x30, 0x10],
            'E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED',
          );
          const type = media.family === 'dvd' ? FormatType.DvdPlusRw : FormatType.BdReWithSpare;
          const progress: number[] = [];
          // The descriptor comes from READ FORMAT CAPACITIES, decoded by the host's codec.
          const formats = parseFormatCapacities((await drive.run(readFormatCapacities())).data);
          assert.equal(formats.current.descriptorType, CapacityDescriptorType.Unformatted);
          const descriptor = formats.formattable.find((f) => f.formatType === type);
          assert.ok(descriptor);
          await drive.run(
            formatUnit({
              fov: false,
              dcrt: false,
              tryOut: false,
              immed: true,
              numberOfBlocks: descriptor.blocks,
              formatType: type,
              formatSubtype: 0,
              typeDependent: descriptor.typeDependent,
            }),
          );
          await drive.waitReady({ onProgress: (f) => progress.push(f) });
          const di = await discInfo(drive);
          assert.equal(
            di.discStatus,
            media.family === 'dvd' ? DiscStatus.Complete : DiscStatus.Other,
          );
          // DVD+RW: the format goes on in the background (10b) until the host closes it.
          // (On the slow drive's fast clock it may already have finished: 11b.)
          const fast = personality === 'slow-drive';
          if (media.family === 'dvd') assert.ok((fast ? [2, 3] : [2]).includes(di.bgFormatStatus));
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
          if (media.family === 'dvd') {
            // 010b stopped it and wrote the lead-out (01b: partly formatted, readable elsewhere).
            assert.ok((fast ? [1, 3] : [1]).includes((await discInfo(drive)).bgFormatStatus));
            assert.equal(recorder.state.disc?.readableElsewhere, true);
          }
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
            await refused(
              drive.run(request),
              [5, 0x30, 0x05],
              'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
            );
          }
        });
      }

      it('SEND CUE SHEET', async () => {
        const { drive, recorder } = await host({ media: name });
        // The drive generates the pre-gap here; the host-sent one is in real-drive-writing.test.ts.
        const cue = dataTrackCueSheet({ sectors: 400, pregapFromHost: false });
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
          await drive.run(
            write10({ lba, data: data.subarray(lba * SECTOR, (lba + 100) * SECTOR) }),
          );
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
}
