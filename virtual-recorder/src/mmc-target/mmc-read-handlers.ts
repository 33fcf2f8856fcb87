/**
 * MMC commands that report and do not record: READ TOC/PMA/ATIP, READ DISC
 * INFORMATION, READ TRACK INFORMATION, GET CONFIGURATION, GET EVENT STATUS
 * NOTIFICATION, MECHANISM STATUS, READ BUFFER CAPACITY and READ FORMAT
 * CAPACITIES (speed: speed-handlers.ts).
 */
import { BgFormat } from '../background-format.ts';
import { discInformation, trackInformation } from '../responses/disc-info.ts';
import { configuration } from '../responses/features.ts';
import { get16, get32 } from '../responses/fields.ts';
import {
  MEDIA_CLASS_MASK,
  bufferCapacity,
  eventStatus,
  formatCapacities,
  mechanismStatus as mechanismStatusData,
} from '../responses/status.ts';
import { tocFormat0, tocFormat1, tocFormat2, tocFormat4 } from '../responses/toc.ts';
import { SENSE, check } from '../sense-codes.ts';
import { Opcode, type CommandPlan } from './command.ts';
import type { TargetContext } from './context.ts';
import { isDvdMinus } from './write-parameters.ts';

/**
 * READ TOC/PMA/ATIP (MMC-6 §6.26): b1 MSF(1), b2 FORMAT(3:0), b6 TRACK/SESSION
 * NUMBER, b7-8 ALLOCATION LENGTH; b9 bits 7:6 the SFF-8020i format field.
 * Formats 0, 1, 2 and 4 (ATIP: recordable CD only); blank media have no TOC.
 */
export function readToc(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const disc = t.mechanics.requireDisc();
  const msf = ((cdb[1] ?? 0) & 0x02) !== 0;
  let format = (cdb[2] ?? 0) & 0x0f;
  if (format === 0) format = (cdb[9] ?? 0) >> 6;
  const number = cdb[6] ?? 0;
  let bytes: Uint8Array | undefined;
  switch (format) {
    case 0:
      bytes = tocFormat0(disc, msf, number);
      break;
    case 1:
      bytes = tocFormat1(disc, msf);
      break;
    case 2:
      bytes = tocFormat2(disc, number);
      break;
    case 4:
      if (disc.media.family === 'cd' && disc.media.kind !== 'rom') bytes = tocFormat4(disc.media);
      break;
  }
  if (!bytes) throw check(SENSE.InvalidFieldInCdb);
  return t.plans.dataIn(Opcode.ReadTocPmaAtip, bytes, get16(cdb, 7));
}

/** READ DISC INFORMATION (MMC-6 §6.22): b1 DATA TYPE(2:0) must be 000b. */
export function readDiscInformation(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if (((cdb[1] ?? 0) & 0x07) !== 0) throw check(SENSE.InvalidFieldInCdb);
  return t.plans.dataIn(
    Opcode.ReadDiscInformation,
    discInformation(t.mechanics.requireDisc()),
    get16(cdb, 7),
  );
}

/**
 * READ TRACK INFORMATION (MMC-6 §6.27): b1 ADDRESS/NUMBER TYPE(1:0): 00b LBA,
 * 01b track (FFh = the invisible/incomplete track), 10b session; b2-5 the
 * value; b7-8 ALLOCATION LENGTH.
 */
export function readTrackInformation(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const disc = t.mechanics.requireDisc();
  const type = (cdb[1] ?? 0) & 0x03;
  const value = get32(cdb, 2);
  let track;
  if (type === 0) {
    track = disc.trackForLba(value);
    if (!track) throw check(SENSE.LbaOutOfRange);
  } else if (type === 1) {
    track =
      value === 0xff && !disc.trackByNumber(0xff) ? disc.invisibleTrack : disc.trackByNumber(value);
  } else if (type === 2) {
    track = disc.tracks.find((x) => x.session === value);
  }
  if (!track) throw check(SENSE.InvalidFieldInCdb);
  const m = disc.media;
  const hideNwa =
    t.options.nwaNeedsWriteParameters &&
    !t.writing.selectedSinceLoad &&
    (m.family === 'cd' || isDvdMinus(m));
  return t.plans.dataIn(
    Opcode.ReadTrackInformation,
    trackInformation(disc, track, { hideNwa }),
    get16(cdb, 7),
  );
}

// ---- configuration and events ----------------------------------------------------------

/** The medium in the drive can take a WRITE now (the write features are current). */
function writableNow(t: TargetContext): boolean {
  const disc = t.mechanics.present;
  if (!disc) return false;
  if (disc.media.kind === 'formattable') return disc.formatted;
  return disc.sequential && !disc.finalized;
}

/** GET CONFIGURATION (MMC-6 §6.6): b1 RT(1:0), b2-3 STARTING FEATURE NUMBER, b7-8 ALLOCATION LENGTH. */
export function getConfiguration(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const rt = (cdb[1] ?? 0) & 0x03;
  if (rt === 3) throw check(SENSE.InvalidFieldInCdb);
  const present = t.mechanics.present;
  const bytes = configuration(
    {
      media: present?.media,
      disc: present,
      writable: writableNow(t),
      incremental: t.mechanics.present?.incrementalAllowed ?? true,
      serial: t.options.identity.serial,
      certification: t.options.certification,
    },
    rt,
    get16(cdb, 2),
  );
  return t.plans.dataIn(Opcode.GetConfiguration, bytes, get16(cdb, 7));
}

/**
 * GET EVENT STATUS NOTIFICATION (MMC-6 §6.7): b1 POLLED(0) must be 1 (no
 * asynchronous notification), b4 NOTIFICATION CLASS REQUEST, b7-8 ALLOCATION
 * LENGTH. Reports (and consumes) the oldest pending media event.
 */
export function gesn(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if (((cdb[1] ?? 0) & 0x01) === 0) throw check(SENSE.InvalidFieldInCdb);
  const wantsMedia = ((cdb[4] ?? 0) & MEDIA_CLASS_MASK) !== 0;
  const m = t.mechanics;
  const bytes = eventStatus(
    wantsMedia
      ? {
          event: m.takeMediaEvent(),
          present: m.present !== undefined,
          trayOpen: m.trayOpen,
        }
      : undefined,
  );
  return t.plans.dataIn(Opcode.GetEventStatusNotification, bytes, get16(cdb, 7));
}

/** MECHANISM STATUS (MMC-6 §6.11): b8-9 ALLOCATION LENGTH. */
export function mechanismStatus(t: TargetContext, cdb: Uint8Array): CommandPlan {
  return t.plans.dataIn(
    Opcode.MechanismStatus,
    mechanismStatusData(t.mechanics.trayOpen, t.operations.busy !== undefined),
    get16(cdb, 8),
  );
}

// ---- buffer, speed and formats ------------------------------------------------------------

/** READ BUFFER CAPACITY (MMC-6 §6.21): b1 BLOCK(0), b7-8 ALLOCATION LENGTH. */
export function readBufferCapacity(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const block = ((cdb[1] ?? 0) & 0x01) !== 0;
  const size = t.buffer.size;
  const free = Math.max(0, Math.floor(t.buffer.free));
  return t.plans.dataIn(
    Opcode.ReadBufferCapacity,
    bufferCapacity(block, size, free),
    get16(cdb, 7),
  );
}

/** READ FORMAT CAPACITIES (MMC-6 §6.24): b7-8 ALLOCATION LENGTH. */
export function readFormatCapacities(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const disc = t.mechanics.present;
  let bytes: Uint8Array;
  if (!disc) {
    bytes = formatCapacities({ blocks: 0, type: 3 }, []);
  } else if (disc.media.name === 'dvd-rw-ro') {
    // Fully formatted restricted overwrite: the formatted capacity; no format offered (not modelled).
    bytes = formatCapacities({ blocks: disc.capacity, type: 2 }, []);
  } else if (disc.media.kind === 'formattable') {
    // The current/maximum descriptor (formatted: what it holds; else the most a format gives),
    // then what FORMAT UNIT may take (MediaInfo.formats).
    // A DVD+RW whose background format was stopped: the formatted part (growisofs reads it as the
    // "lead_out" it compares the image with before restarting the format, plus_rw_restart_format).
    const m = disc.media;
    const stopped = disc.background?.status === BgFormat.Stopped;
    const blocks = stopped ? disc.background!.formatted : disc.capacity;
    bytes = formatCapacities(
      disc.formatted ? { blocks, type: 2 } : { blocks: m.maxCapacity, type: 1 },
      m.formats,
    );
  } else {
    bytes = formatCapacities({ blocks: disc.capacity, type: 2 }, []);
  }
  return t.plans.dataIn(Opcode.ReadFormatCapacities, bytes, get16(cdb, 7));
}
