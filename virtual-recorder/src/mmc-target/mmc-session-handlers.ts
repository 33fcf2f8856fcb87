/**
 * MMC commands that lay out, close or (re)initialize the recordable area:
 * RESERVE TRACK, CLOSE TRACK/SESSION, BLANK and FORMAT UNIT. The long ones
 * report NOT READY with progress while they run (long-operations.ts).
 */
import { BackgroundFormat } from '../background-format.ts';
import { MEDIA } from '../media.ts';
import { get16, get32 } from '../responses/fields.ts';
import { SENSE, check } from '../sense-codes.ts';
import { SECTOR_SIZE } from '../store.ts';
import { maxDrainRate } from './buffer-model.ts';
import { Opcode, parameterList, type CommandPlan } from './command.ts';
import type { TargetContext } from './context.ts';
import { TIMING } from './long-operations.ts';
import { isDvdMinus } from './write-parameters.ts';

/** RESERVE TRACK (MMC-6 §6.31): b1 ARSV(0) (address form, unsupported: 5/24/00), b5-8 RESERVATION SIZE. */
export function reserveTrack(t: TargetContext, cdb: Uint8Array): CommandPlan {
  if ((cdb[1] ?? 0) & 0x01) throw check(SENSE.InvalidFieldInCdb);
  const disc = t.mechanics.checkWritable();
  if (disc.media.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
  // With TEST WRITE the reservation is simulated too (DVD-R DAO test runs reserve first).
  t.writing.target(disc, false).reserveTrack(get32(cdb, 5));
  return t.plans.good(Opcode.ReserveTrack);
}

/**
 * CLOSE TRACK/SESSION (MMC-6 §6.3): b1 IMMED(0), b2 CLOSE FUNCTION(2:0), b4-5
 * LOGICAL TRACK NUMBER. 001b closes a track; 010b closes the session (CD and
 * DVD-R/RW: finalizes unless page 05h MULTI-SESSION is 11b; DVD+R/BD-R: stays
 * appendable); 101b/110b finalize DVD+R, DVD+R DL and BD-R. DVD+RW/BD-RE
 * accept 000b-011b and have nothing to do. The buffer is flushed first.
 * With TEST WRITE the close acts on the simulation copy (the real disc is
 * untouched) and a simulated session close ends the simulation. During a
 * CD SAO session, CLOSE SESSION closes it once every cued block has
 * arrived; CLOSE TRACK, or CLOSE SESSION before that, is 5/2C/00 (the cue
 * sheet fixed the layout, MMC-6 §4.5.4.3).
 */
export function closeTrackSession(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const immed = ((cdb[1] ?? 0) & 0x01) !== 0;
  const fn = (cdb[2] ?? 0) & 0x07;
  const trackNumber = get16(cdb, 4);
  const real = t.mechanics.checkWritable();
  const m = real.media;
  let ms = t.buffer.drainTime();
  t.buffer.endStream();
  if (m.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
  const writing = t.writing;
  const disc = writing.target(real, false);
  const simulating = disc !== real;
  const sao = writing.sao?.started ? writing.sao : undefined;
  if (sao && (fn === 1 || fn === 2)) {
    if (fn === 1 || !sao.complete) throw check(SENSE.CommandSequenceError);
    ms += writing.closeSaoSession(real);
  } else if (m.kind === 'formattable') {
    if (fn > 3) throw check(SENSE.InvalidFieldInCdb);
    if (real.background) ms += closeDvdPlusRw(t, real.background, fn);
  } else if (fn === 1) {
    disc.closeTrack(trackNumber);
    ms += TIMING.closeTrackMs;
  } else if (fn === 2) {
    const finalize = (m.family === 'cd' || isDvdMinus(m)) && !writing.nextSessionAllowed;
    disc.closeSession(finalize);
    if (simulating) writing.endSimulation();
    ms += finalize ? TIMING.finalizeMs : TIMING.closeSessionMs;
  } else if (
    (fn === 5 || fn === 6) &&
    (m.name === 'dvd+r' || m.name === 'dvd+r-dl' || m.name === 'bd-r')
  ) {
    // A DVD+R DL drive that insists on 101b (growisofs: "HP dvd520n insists on finalize with
    // minimum radius"); option dlFinalizeMinimalRadiusOnly.
    if (m.name === 'dvd+r-dl' && fn === 6 && t.options.dlFinalizeMinimalRadiusOnly) {
      throw check(SENSE.InvalidFieldInCdb);
    }
    disc.closeSession(true);
    if (simulating) writing.endSimulation();
    ms += TIMING.finalizeMs;
  } else {
    throw check(SENSE.InvalidFieldInCdb);
  }
  return t.plans.run(Opcode.CloseTrackSession, undefined, () =>
    t.operations.run(SENSE.OperationInProgress, ms, immed),
  );
}

/**
 * CLOSE TRACK/SESSION on a DVD+RW (MMC-6 §6.3.2.6; background-format.ts):
 * 000b stops a running background format, 010b stops it and writes the
 * lead-out (other drives then read the disc), 011b formats the rest; 001b
 * has nothing to do. Returns the drive time it takes.
 */
function closeDvdPlusRw(t: TargetContext, bg: BackgroundFormat, fn: number): number {
  const now = t.options.clock.now();
  const rate = backgroundRate(t);
  if (fn === 0) {
    bg.stop(now);
    return TIMING.stopBackgroundFormatMs;
  }
  if (fn === 2) {
    bg.close(now);
    return TIMING.closeSessionMs;
  }
  if (fn === 3) {
    const ms = bg.remainingMs(now, rate);
    bg.finish(now);
    return ms;
  }
  return 0;
}

/** Blocks a drive millisecond formats in the background: the medium's top write speed. */
function backgroundRate(t: TargetContext): number {
  const m = t.mechanics.disc?.media;
  return m ? maxDrainRate(m) / SECTOR_SIZE : 0;
}

/**
 * BLANK (MMC-6 §6.2): b1 IMMED(4), BLANKING TYPE(2:0): 000b full, 001b
 * minimal; the other types are 5/24/00. CD-RW and DVD-RW only (5/30/05).
 * A minimal blank leaves a DVD-RW without feature 0021h (DAO only) unless
 * the option `minimalBlankKeepsIncremental` is set (disc.ts).
 */
export function blank(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const immed = ((cdb[1] ?? 0) & 0x10) !== 0;
  const type = (cdb[1] ?? 0) & 0x07;
  const disc = t.mechanics.checkWritable();
  const overwrite = disc.media.name === 'dvd-rw-ro';
  if (disc.media.kind !== 'erasable' && !overwrite) {
    throw check(SENSE.CannotWriteIncompatibleFormat);
  }
  if (type > 1) throw check(SENSE.InvalidFieldInCdb);
  const fullMs = Math.ceil((disc.capacity * SECTOR_SIZE) / maxDrainRate(disc.media));
  const ms = type === 0 ? fullMs : TIMING.minimalBlankMs;
  return t.plans.run(Opcode.Blank, undefined, async () => {
    const dvd = isDvdMinus(disc.media) || overwrite;
    await disc.blank(
      !(dvd && type === 1) || t.options.minimalBlankKeepsIncremental,
      overwrite ? MEDIA['dvd-rw'] : disc.media,
    );
    t.writing.forgetDisc();
    await t.operations.run(SENSE.OperationInProgress, ms, immed);
  });
}

/**
 * FORMAT UNIT (MMC-6 §6.5): b1 FMTDATA(4) CMPLIST(3) FORMAT CODE(2:0) = 001b.
 * Parameter list (12 bytes): header 1 IMMED(1), 2-3 FORMAT DESCRIPTOR LENGTH
 * = 8; descriptor 4-7 NUMBER OF BLOCKS, 8 FORMAT TYPE(7:2) SUBTYPE(1:0), 9-11
 * TYPE DEPENDENT. The descriptor must be one READ FORMAT CAPACITIES lists
 * (blocks and type dependent parameter; `MediaInfo.formats`), as every host
 * copies it (growisofs `bd_re_format`/`plus_rw_format`, libburn
 * `mmc_format_unit`); DVD+RW 26h may also give FFFFFFFFh blocks ("26h is
 * allowed to send a fantasy size of 0xffffffff", libburn cookbook.txt). BD-RE
 * 30h/31h subtypes (MMC-6 §6.5.4.2.15): 00b quick reformat, 01b no
 * certification, 10b full certification (feature 0023h CERT), 11b quick
 * certification (QCERT); one the drive does not offer is 5/26/00. FMTDATA = 0
 * formats with the medium's default. Progress: NOT READY 2/04/04.
 */
export function formatUnit(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const b1 = cdb[1] ?? 0;
  const fmtData = (b1 & 0x10) !== 0;
  const disc = t.mechanics.checkWritable();
  if (disc.media.kind !== 'formattable') throw check(SENSE.CannotWriteIncompatibleFormat);
  const m = disc.media;
  const quickMs = m.family === 'dvd' ? TIMING.dvdPlusRwFormatMs : TIMING.bdQuickFormatMs;
  if (!fmtData) {
    if ((b1 & 0x0f) !== 0) throw check(SENSE.InvalidFieldInCdb);
    return t.plans.run(Opcode.FormatUnit, undefined, async () => {
      const background =
        m.name === 'dvd+rw'
          ? BackgroundFormat.started(m.capacity, t.options.clock.now(), backgroundRate(t))
          : undefined;
      await disc.format(m.capacity, background);
      await t.operations.run(SENSE.FormatInProgress, quickMs, false);
    });
  }
  if ((b1 & 0x07) !== 1) throw check(SENSE.InvalidFieldInCdb);
  const parameters = parameterList(12);
  return t.plans.run(Opcode.FormatUnit, parameters.data, async () => {
    if (!parameters.complete()) return;
    const list = parameters.bytes;
    const immed = ((list[1] ?? 0) & 0x02) !== 0;
    if (get16(list, 2) !== 8) throw check(SENSE.InvalidFieldInParameterList);
    const blocks = get32(list, 4);
    const type = (list[8] ?? 0) >> 2;
    const subtype = (list[8] ?? 0) & 0x03;
    let param = ((list[9] ?? 0) << 16) | ((list[10] ?? 0) << 8) | (list[11] ?? 0);
    // DVD+RW 26h: parameter byte 11 bit 0 restarts a stopped background format (growisofs
    // `plus_rw_restart_format` sets it; libburn when BG FORMAT STATUS is 01b).
    const restart = type === 0x26 && (param & 0x01) !== 0;
    if (restart) param &= ~0x01;
    const listed = m.formats.filter((f) => f.type === type);
    const chosen =
      listed.find((f) => f.blocks === blocks && f.param === param) ??
      (type === 0x26 && blocks === 0xffffffff && param === 0 ? listed[0] : undefined);
    if (!chosen || !subtypeOffered(t, type, subtype)) {
      throw check(SENSE.InvalidFieldInParameterList);
    }
    if (restart) {
      const now = t.options.clock.now();
      if (!disc.background?.restart(now, backgroundRate(t))) {
        throw check(SENSE.InvalidFieldInParameterList); // nothing stopped to restart
      }
      await t.operations.run(SENSE.FormatInProgress, TIMING.dvdPlusRwFormatMs, immed);
      return;
    }
    const fullCertification = (type === 0x30 || type === 0x31) && subtype === 2;
    const ms = fullCertification
      ? Math.ceil((m.maxCapacity * SECTOR_SIZE) / maxDrainRate(m))
      : quickMs;
    const background =
      m.name === 'dvd+rw'
        ? BackgroundFormat.started(m.capacity, t.options.clock.now(), backgroundRate(t))
        : undefined;
    await disc.format(chosen.blocks, background);
    await t.operations.run(SENSE.FormatInProgress, ms, immed);
  });
}

/** Whether the drive offers `subtype` of format `type` (see formatUnit; feature 0023h's CERT and QCERT). */
function subtypeOffered(t: TargetContext, type: number, subtype: number): boolean {
  if (type !== 0x30 && type !== 0x31) return subtype === 0;
  if (subtype === 2) return t.options.certification.full;
  if (subtype === 3) return t.options.certification.quick;
  return true;
}
