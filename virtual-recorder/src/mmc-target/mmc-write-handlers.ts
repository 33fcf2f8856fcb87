/**
 * MMC commands that record: WRITE(10), SYNCHRONIZE CACHE (which also closes
 * a complete CD SAO session or DVD-R DAO disc) and SEND CUE SHEET. With page
 * 05h TEST WRITE set they act on the simulation copy of the disc
 * (write-parameters.ts).
 */
import { type Disc, DiscStatus } from '../disc.ts';
import { get16, get32 } from '../responses/fields.ts';
import { MAX_CUE_SHEET_BYTES } from '../responses/features.ts';
import { SaoWriter, parseCuePlan } from '../sao.ts';
import { SENSE, check } from '../sense-codes.ts';
import { SECTOR_SIZE } from '../store.ts';
import { GOOD, Opcode, parameterList, type CommandPlan, type DataOutPhase } from './command.ts';
import { storeFailed, type TargetContext } from './context.ts';
import { TIMING, nominal } from './long-operations.ts';
import { canTestWrite, isDvdMinus } from './write-parameters.ts';

/** Stores `sectors` blocks of `part` from `first` on the disc written to, unless aborted meanwhile. */
type StoreBlocks = (
  first: number,
  part: Uint8Array,
  sectors: number,
  aborted: () => boolean,
) => Promise<void>;

/**
 * WRITE(10) (MMC-6 §6.44): b2-5 LBA, b7-8 TRANSFER LENGTH. Address rules are
 * the disc's (disc.ts), or in CD SAO the cue sheet's (sao.ts: the LBA is
 * then signed, so a sent pre-gap starts at -150 = FFFFFF6Ah). Page 05h
 * write type SAO on CD without an accepted cue sheet, and DAO into a
 * non-reserved DVD-R track, are command sequence errors. With the clock on,
 * a WRITE whose data does not fit in the free buffer gets 2/04/08 LONG
 * WRITE IN PROGRESS, and the data phase is paced by the buffer. With TEST
 * WRITE set every check, the buffer and the faults apply as usual but the
 * blocks go to the simulation copy of the disc: nothing is recorded.
 */
export function write10(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const real = t.mechanics.checkWritable();
  const count = get16(cdb, 7);
  const writing = t.writing;
  const writeType = writing.writeType;
  const sao = real.media.family === 'cd' && writeType === 2;
  let lba: number;
  let store: StoreBlocks;
  if (sao) {
    if (real.media.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
    const writer = writing.sao;
    if (!writer) throw check(SENSE.CommandSequenceError); // no cue sheet was sent
    const disc = writing.target(real);
    lba = get32(cdb, 2) | 0;
    writer.check(lba, count);
    store = async (first, part, sectors, aborted) => {
      if (!writer.started && disc.status === DiscStatus.Empty) disc.layoutSao(writer.plan.tracks);
      // Pre-gap blocks before LBA 0 are not user data: taken and dropped.
      const skip = Math.max(0, Math.min(sectors, -first));
      if (sectors > skip) {
        await disc.store.write(first + skip, part.subarray(skip * SECTOR_SIZE));
      }
      if (aborted()) return;
      for (let i = skip; i < sectors; i++) {
        const n = writer.trackAt(first + i);
        if (n !== undefined) disc.commitWrite(disc.trackByNumber(n), 1);
      }
      writer.advance(sectors);
    };
  } else {
    lba = get32(cdb, 2);
    if (writing.testWrite && !canTestWrite(real.media)) {
      real.checkWrite(lba, count); // the medium's own refusals first
      throw check(SENSE.IllegalModeForThisTrack);
    }
    const disc = writing.target(real);
    const target = disc.checkWrite(lba, count);
    // A DVD+RW whose background format is stopped: nothing past the formatted part until it is
    // restarted (background-format.ts).
    if (real.background && !real.background.writable(lba + count, t.options.clock.now())) {
      throw check(SENSE.MediumNotFormatted);
    }
    if (real.media.family === 'cd' && writeType === 2) throw check(SENSE.CommandSequenceError);
    if (isDvdMinus(real.media) && writeType === 2 && !target?.reserved) {
      throw check(SENSE.CommandSequenceError);
    }
    // Anything but DAO on a DVD-RW without feature 0021h (minimally blanked): 5/64/00, as
    // libburn saw it (mmc.c `mmc_write`, `was_feat21h_failure`).
    if (isDvdMinus(real.media) && writeType !== 2 && !real.incrementalAllowed) {
      throw check(SENSE.IllegalModeForThisTrack);
    }
    store = async (first, part, sectors, aborted) => {
      await disc.store.write(first, part);
      if (aborted()) return;
      disc.commitWrite(target, sectors);
    };
  }
  const simulated = writing.testWrite;
  if (count === 0) return t.plans.good(Opcode.Write10);
  const bytes = count * SECTOR_SIZE;
  const { clock, faults, observer } = t.options;
  const buffer = t.buffer;
  if (clock.mode !== 'off') {
    if (buffer.free < Math.min(bytes, buffer.size)) throw check(SENSE.LongWriteInProgress);
  }
  if (faults.take('powerCalibrationFailure')) {
    throw check(SENSE.PowerCalibrationAreaError);
  }
  const lossOfStreaming = faults.take('lossOfStreaming');
  const errorAt = faults.takeErrorAt('writeErrorAt', lba, count);

  let aborted = false;
  let next = lba; // next LBA to record
  /** First block the store did not take (see storeFailed): the rest of the data is dropped. */
  let failedAt: number | undefined;
  const carry = new Uint8Array(SECTOR_SIZE);
  let carried = 0;
  const counters = observer.counters;
  const record = async (data: Uint8Array) => {
    // `data` is whole sectors starting at `next`.
    let sectors = data.length / SECTOR_SIZE;
    if (errorAt !== undefined) sectors = Math.max(0, Math.min(sectors, errorAt - next));
    if (sectors === 0) return;
    const part = data.subarray(0, sectors * SECTOR_SIZE);
    if (await buffer.accept(part.length, () => aborted)) counters.bufferUnderruns++;
    if (aborted) return;
    try {
      await store(next, part, sectors, () => aborted);
    } catch (error) {
      failedAt = next;
      storeFailed(observer, 'write', next, error);
      return;
    }
    if (aborted) return;
    if (simulated) counters.sectorsSimulated += sectors;
    else counters.sectorsWritten += sectors;
    next += sectors;
  };
  const data: DataOutPhase = {
    direction: 'out',
    length: bytes,
    write: async (chunk) => {
      if (lossOfStreaming || aborted || failedAt !== undefined) return;
      let at = 0;
      if (carried > 0) {
        const n = Math.min(SECTOR_SIZE - carried, chunk.length);
        carry.set(chunk.subarray(0, n), carried);
        carried += n;
        at = n;
        if (carried < SECTOR_SIZE) return;
        carried = 0;
        await record(carry);
      }
      const whole = Math.floor((chunk.length - at) / SECTOR_SIZE) * SECTOR_SIZE;
      if (whole > 0) await record(chunk.subarray(at, at + whole));
      const rest = chunk.length - at - whole;
      if (rest > 0) {
        carry.set(chunk.subarray(at + whole), 0);
        carried = rest;
      }
    },
  };
  return t.plans.run(
    Opcode.Write10,
    data,
    async () => {
      await calibrate(t, real);
      if (lossOfStreaming) {
        return {
          status: 'check-condition',
          sense: check(SENSE.LossOfStreaming).sense,
          processed: 0,
        };
      }
      const stopped = failedAt ?? errorAt;
      if (stopped !== undefined) {
        return {
          status: 'check-condition',
          sense: check(SENSE.WriteError, { information: stopped }).sense,
          processed: (stopped - lba) * SECTOR_SIZE,
        };
      }
      return GOOD;
    },
    () => {
      aborted = true;
    },
  );
}

/**
 * Optimum power calibration before the first WRITE on a disc: with the
 * option `powerCalibrationMs` (the slow-drive personality) that WRITE holds
 * its status that long (growisofs gives SEND OPC 120 s, "NEC units can be
 * slooo...w"; libburn gives WRITE 200 s; docs/real-drives.md §1).
 */
async function calibrate(t: TargetContext, disc: Disc): Promise<void> {
  if (disc.calibrated) return;
  disc.calibrated = true;
  const { clock } = t.options;
  const ms = nominal(clock, t.options.powerCalibrationMs);
  if (ms > 0) await clock.sleepUntil(clock.now() + ms);
}

/**
 * SYNCHRONIZE CACHE (MMC-6 §6.41): b1 IMMED(1). Waits until the write buffer
 * is empty. In CD SAO, once every block of the cue sheet has arrived, it
 * also writes the lead-out and closes the session (MMC-6 §4.5.4.3: the
 * host sends no CLOSE TRACK/SESSION in SAO).
 */
export function synchronizeCache(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const immed = ((cdb[1] ?? 0) & 0x02) !== 0;
  let ms = t.buffer.drainTime();
  t.buffer.endStream();
  const disc = t.mechanics.disc;
  if (disc && t.writing.sao?.complete) ms += t.writing.closeSaoSession(disc);
  else if (disc) ms += closeDaoDisc(t, disc);
  return t.plans.run(Opcode.SynchronizeCache, undefined, () =>
    t.operations.run(SENSE.OperationInProgress, ms, immed),
  );
}

/**
 * DVD-R Disc-at-Once (MMC-6 §4.5.3.4, write type 2 into a reserved track):
 * once the reserved track is written to its end, SYNCHRONIZE CACHE makes
 * the drive write the lead-out and finalize the disc; the host sends no
 * CLOSE TRACK/SESSION. Returns the time it takes (0 when nothing closes).
 */
function closeDaoDisc(t: TargetContext, real: Disc): number {
  const writing = t.writing;
  if (!isDvdMinus(real.media) || writing.writeType !== 2) return 0;
  const disc = writing.target(real, false);
  const open = disc.openSession;
  const reserved = disc.tracks.find((x) => x.session === open && x.reserved);
  if (
    !reserved ||
    reserved.size === undefined ||
    reserved.recorded < reserved.size ||
    disc.finalized
  )
    return 0;
  disc.closeSession(true);
  if (writing.testWrite) writing.endSimulation();
  return TIMING.finalizeMs;
}

/**
 * SEND CUE SHEET (MMC-6 §6.33): b6-8 CUE SHEET SIZE (bytes, u24), then the
 * cue sheet as data out. CD-R/RW only (5/30/05 otherwise), page 05h write
 * type SAO on a blank disc with no SAO session under way (5/2C/00
 * otherwise). The size must be whole 8-byte entries and at most feature
 * 002Eh's MAXIMUM CUE SHEET LENGTH (5/24/00); zero sends nothing and is not
 * an error. The entries are checked by sao.ts (5/26/00); an accepted cue
 * sheet replaces one sent before.
 */
export function sendCueSheet(t: TargetContext, cdb: Uint8Array): CommandPlan {
  const size = ((cdb[6] ?? 0) << 16) | get16(cdb, 7);
  const real = t.mechanics.checkWritable();
  if (real.media.family !== 'cd' || real.media.kind === 'rom') {
    throw check(SENSE.CannotWriteIncompatibleFormat);
  }
  const writing = t.writing;
  if (writing.writeType !== 2) throw check(SENSE.CommandSequenceError);
  const disc = writing.target(real, false);
  if (disc.status !== DiscStatus.Empty || writing.sao?.started) {
    throw check(SENSE.CommandSequenceError);
  }
  if (size === 0) return t.plans.good(Opcode.SendCueSheet);
  if (size % 8 !== 0 || size > MAX_CUE_SHEET_BYTES) throw check(SENSE.InvalidFieldInCdb);
  const sheet = parameterList(size);
  return t.plans.run(Opcode.SendCueSheet, sheet.data, () => {
    if (!sheet.complete()) return; // the transport reports the short data phase
    const plan = parseCuePlan(sheet.bytes, disc.capacity, {
      generatesPregap: t.options.saoGeneratesPregap,
    });
    writing.startSao(new SaoWriter(plan));
  });
}
