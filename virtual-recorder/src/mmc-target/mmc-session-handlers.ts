/**
 * MMC commands that lay out, close or (re)initialize the recordable area:
 * RESERVE TRACK, CLOSE TRACK/SESSION, BLANK and FORMAT UNIT. The long ones
 * report NOT READY with progress while they run (long-operations.ts).
 */
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
 * BLANK (MMC-6 §6.2): b1 IMMED(4), BLANKING TYPE(2:0): 000b full, 001b
 * minimal; the other types are 5/24/00. CD-RW and DVD-RW only (5/30/05).
 */
export function blank(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const immed = ((cdb[1] ?? 0) & 0x10) !== 0;
  const type = (cdb[1] ?? 0) & 0x07;
  const disc = t.mechanics.checkWritable();
  if (disc.media.kind !== 'erasable') throw check(SENSE.CannotWriteIncompatibleFormat);
  if (type > 1) throw check(SENSE.InvalidFieldInCdb);
  const fullMs = Math.ceil((disc.capacity * SECTOR_SIZE) / maxDrainRate(disc.media));
  const ms = type === 0 ? fullMs : TIMING.minimalBlankMs;
  return t.plans.run(Opcode.Blank, undefined, async () => {
    await disc.blank();
    t.writing.forgetDisc();
    await t.operations.run(SENSE.OperationInProgress, ms, immed);
  });
}

/**
 * FORMAT UNIT (MMC-6 §6.5): b1 FMTDATA(4) CMPLIST(3) FORMAT CODE(2:0) = 001b.
 * Parameter list (12 bytes): header 1 IMMED(1), 2-3 FORMAT DESCRIPTOR LENGTH
 * = 8; descriptor 4-7 NUMBER OF BLOCKS, 8 FORMAT TYPE(7:2) SUBTYPE(1:0), 9-11
 * TYPE DEPENDENT. DVD+RW: type 26h. BD-RE: 30h (subtype 00b quick, 10b full
 * with certification, 11b full without) and 31h. FMTDATA = 0 formats with
 * the medium's default. Progress: NOT READY 2/04/04 with the indicator.
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
      await disc.format(m.capacity);
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
    const any = blocks === 0 || blocks === 0xffffffff;
    let capacity: number;
    let ms: number = quickMs;
    if (m.family === 'dvd' && type === 0x26 && subtype === 0 && (any || blocks <= m.capacity)) {
      capacity = m.capacity;
    } else if (
      m.family === 'bd' &&
      type === 0x30 &&
      subtype !== 1 &&
      (any || blocks <= m.capacity)
    ) {
      capacity = any ? m.capacity : blocks;
      if (subtype === 2) ms = Math.ceil((m.maxCapacity * SECTOR_SIZE) / maxDrainRate(m));
    } else if (
      m.family === 'bd' &&
      type === 0x31 &&
      subtype === 0 &&
      (any || blocks <= m.maxCapacity)
    ) {
      capacity = m.maxCapacity;
    } else {
      throw check(SENSE.InvalidFieldInParameterList);
    }
    await disc.format(capacity);
    await t.operations.run(SENSE.FormatInProgress, ms, immed);
  });
}
