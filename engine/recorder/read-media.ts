/**
 * Reads what is in the drive: disc present, type and status, capacity and
 * free space, sessions and tracks, from TEST UNIT READY, GET CONFIGURATION,
 * READ DISC INFORMATION, READ TRACK INFORMATION and READ CAPACITY, and the
 * write speeds the drive offers for this disc (engine/recording/speed.ts).
 */
import type { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { ScsiCommandError } from '../../usb-mass-storage/src/errors.ts';
import {
  DiscStatus as MmcDiscStatus,
  TrackAddressType,
  getConfiguration,
  parseDiscInformation,
  parseTrackInformation,
  parseToc,
  readDiscInformation,
  readTocPmaAtip,
  readTrackInformation,
  ConfigurationRequestType,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import { isCommandRefused, mediumAbsence } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import { parseCapacity, readCapacity10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { DiscStatus, MediaState, TrackInfo } from '../../contract/api.ts';
import { physicalTypeOf } from '../../contract/profiles.ts';
import { profileInfo } from '../identity.ts';
import { mediumWriteSpeeds } from '../recording/speed.ts';

function none(trayOpen: boolean | null): MediaState {
  return {
    present: false,
    trayOpen,
    profile: null,
    physicalType: 'IMAPI_MEDIA_TYPE_UNKNOWN',
    status: 'none',
    erasable: false,
    sessions: 0,
    tracks: [],
    blockSize: 2048,
    capacityBlocks: 0,
    freeBlocks: 0,
    nextWritableAddress: null,
  };
}

/**
 * The tracks from READ TOC format 0 (MMC-6 §6.26.3.2): each descriptor's
 * start, its size up to the next one (the last up to the lead-out, AAh), and
 * CONTROL bit 2 for data. Sessions are not in format 0: every track is
 * reported in session 1, which is right for the pressed and single-session
 * discs the drives that need this read.
 */
export async function tracksFromToc(drive: ScsiDrive): Promise<TrackInfo[]> {
  const r = await drive.run(readTocPmaAtip({ format: 0 }), { allowCheckCondition: true });
  if (r.status !== 'good') return [];
  const toc = parseToc(r.data);
  const tracks: TrackInfo[] = [];
  const entries = [...toc.tracks].sort((a, b) => a.address - b.address);
  for (let i = 0; i < entries.length; i++) {
    const t = entries[i]!;
    const next = entries[i + 1];
    if (t.trackNumber === LEAD_OUT || !next) continue;
    tracks.push({
      number: t.trackNumber,
      session: 1,
      start: t.address,
      size: next.address - t.address,
      mode: (t.control & 0x04) !== 0 ? 'data' : 'audio',
    });
  }
  return tracks;
}

/** READ TOC's track number for the lead-out (MMC-6 table 480). */
const LEAD_OUT = 0xaa;

export async function readMedia(drive: ScsiDrive): Promise<MediaState> {
  // TEST UNIT READY, waiting out "becoming ready"; 2/3A/xx = no medium.
  try {
    await drive.waitReady({ notReadyBudgetMs: 30_000 });
  } catch (error) {
    const s = error instanceof ScsiCommandError ? error.sense : undefined;
    const absent = mediumAbsence(s);
    if (absent) return none(absent.trayOpen);
    throw error;
  }
  let profileCode = 0;
  const config = await drive.run(
    getConfiguration({
      requestType: ConfigurationRequestType.Current,
      startingFeature: 0,
      allocationLength: 8,
    }),
    { allowCheckCondition: true },
  );
  if (config.status === 'good' && config.data.length >= 8) {
    profileCode = (config.data[6]! << 8) | config.data[7]!;
  }
  const profile = profileCode ? profileInfo(profileCode, true) : null;
  const physicalType = physicalTypeOf(profileCode);

  const discInfo = await drive.run(readDiscInformation(), { allowCheckCondition: true });
  if (discInfo.status !== 'good') {
    // Simple CD-ROM bridges: READ CAPACITY is all there is (protocol-notes.md, "Quirks").
    const cap = parseCapacity((await drive.run(readCapacity10())).data);
    const blocks = cap.lastLba + 1;
    return {
      ...none(false),
      present: true,
      profile,
      physicalType,
      status: 'complete',
      sessions: 1,
      tracks: [{ number: 1, session: 1, start: 0, size: blocks, mode: 'data' }],
      blockSize: cap.blockLength,
      capacityBlocks: blocks,
    };
  }
  const disc = parseDiscInformation(discInfo.data);
  const status: DiscStatus =
    disc.discStatus === MmcDiscStatus.Blank
      ? 'blank'
      : disc.discStatus === MmcDiscStatus.Appendable
        ? 'appendable'
        : disc.discStatus === MmcDiscStatus.Complete
          ? 'complete'
          : 'random-access';
  const tracks: TrackInfo[] = [];
  let free = 0;
  let nwa: number | null = null;
  let capacity = 0;
  const last = Math.min(disc.lastTrackInLastSession, disc.firstTrack + 98);
  for (let t = disc.firstTrack; t <= last; t++) {
    const r = await drive.run(
      readTrackInformation({ addressType: TrackAddressType.Track, address: t }),
      {
        allowCheckCondition: true,
      },
    );
    if (r.status !== 'good' && isCommandRefused(r.sense) && t === disc.firstTrack) {
      // QEMU's scsi-cd and other plain CD-ROM targets answer READ TRACK
      // INFORMATION 5/20/00: the TOC still lists the tracks (issue 13, item 16).
      tracks.push(...(await tracksFromToc(drive)));
      capacity = Math.max(capacity, ...tracks.map((x) => x.start + x.size));
      break;
    }
    if (r.status !== 'good') break;
    const ti = parseTrackInformation(r.data);
    capacity = Math.max(capacity, ti.trackStart + ti.trackSize);
    if (ti.nwaValid) {
      nwa = ti.nextWritableAddress;
      free = ti.freeBlocks;
    }
    if (ti.blank && ti.trackSize === ti.freeBlocks && status !== 'random-access') continue;
    tracks.push({
      number: ti.trackNumber,
      session: ti.sessionNumber,
      start: ti.trackStart,
      size: ti.nwaValid ? ti.nextWritableAddress - ti.trackStart : ti.trackSize,
      mode: (ti.trackMode & 0x04) !== 0 ? 'data' : 'audio',
    });
  }
  if (status === 'complete' || status === 'random-access') {
    const cap = await drive.run(readCapacity10(), { allowCheckCondition: true });
    if (cap.status === 'good') capacity = Math.max(capacity, parseCapacity(cap.data).lastLba + 1);
  }
  const sessions = status === 'blank' ? 0 : disc.sessions - (disc.lastSessionState === 0 ? 1 : 0);
  return {
    present: true,
    trayOpen: false,
    profile,
    physicalType,
    status,
    erasable: disc.erasable,
    sessions,
    tracks,
    blockSize: 2048,
    capacityBlocks: capacity,
    freeBlocks: free,
    nextWritableAddress: nwa,
    // Read with each medium: the speeds belong to the disc, not the drive (issue 19, defect 2).
    writeSpeedsKBps: await mediumWriteSpeeds(drive, profileCode),
  };
}
