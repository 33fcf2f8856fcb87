/**
 * CD Session At Once (MMC-6 §4.5.4.3 "Session at Once recording", §6.33 SEND
 * CUE SHEET): the drive side. The host describes the whole session in a cue
 * sheet before it sends any data; the drive checks it, then takes WRITE(10)s
 * in the order the cue sheet lays out, and writes the lead-in, the pre-gaps
 * it was asked to generate and the lead-out itself.
 *
 * This file parses and checks the cue sheet the way drive firmware does (it
 * does not use the host codecs in usb-mass-storage/src/scsi/mmc.ts: the
 * conformance suite cross-checks the two) and keeps the SAO write pointer.
 *
 * Cue sheet entry, 8 bytes (MMC-6 §6.33.3.1, table 500 in MMC-6r02g):
 *  0 CTL (7:4) | ADR (3:0)   1 TNO   2 INDEX   3 DATA FORM   4 SCMS
 *  5 ABSOLUTE TIME MIN   6 SEC   7 FRAME (binary, not BCD; 00:00:00 is LBA -150)
 * ADR 1 entries are positions; ADR 2 (media catalog number) and ADR 3 (ISRC)
 * carry sub-channel text the drive records in Q and are accepted and ignored.
 *
 * What this drive takes (anything else is 5/26/00 INVALID FIELD IN PARAMETER
 * LIST, SPC-4 §4.5.6), one session of Mode 1 data tracks on a blank disc:
 * - CTL: a data track (bit 2), two channels (bit 3 = 0), uninterrupted
 *   (bit 0 = 0); the copy bit (1) is free. Sub-channel data forms (bits 7:6
 *   of DATA FORM) are not supported: the drive makes the sub-channel.
 * - first ADR 1 entry: the lead-in, TNO 00h INDEX 00h, a data form the drive
 *   generates (01h CD-DA zero data or 14h Mode 1 zero data), at the time of
 *   track 1's pre-gap (00:00:00).
 * - then tracks 1..n in order; each has an optional INDEX 00 (pre-gap) entry,
 *   an INDEX 01 entry, and optional INDEX 02..99 entries each one above the
 *   last. Track 1 is INDEX 00 at 00:00:00 and INDEX 01 at 00:02:00 (LBA 0):
 *   the 150-frame pause every first track has (MMC-6 §6.33.3.2, ECMA-130).
 *   A pre-gap is either sent by the host (data form 10h, 2048 bytes a block)
 *   or generated (14h, no bytes); INDEX >= 1 is data form 10h (Mode 1, 2048
 *   bytes: page 05h data block type 8). Each track is at least 300 blocks
 *   from its INDEX 01 (4 seconds, the Red Book minimum).
 * - last ADR 1 entry: the lead-out, TNO AAh INDEX 01h, a generated data form,
 *   after the last track, not past the disc's last possible lead-out.
 * - times strictly increase along the program (lead-in and track 1's pre-gap
 *   share 00:00:00), M < 100, S < 60, F < 75.
 *
 * Writing (MMC-6 §4.5.4.3): the host sends the blocks of every region whose
 * data form carries bytes, in order, with WRITE(10)s whose LBA is that of the
 * first block sent. The first such block is track 1's INDEX 01 at LBA 0 when
 * its pre-gap is generated (the usual cue sheet, `dataTrackCueSheet` on the
 * host side), or LBA -150 (FFFFFF6Ah as a u32) when the pre-gap is sent; the
 * pre-gap blocks before LBA 0 are taken and discarded (they are not user
 * data). A WRITE anywhere but the next expected block is 5/21/02; one that
 * runs into a generated region (the drive writes those itself and the host
 * must skip them) is 5/21/02; one past the lead-out is 5/21/00.
 */
import { check, SENSE } from './sense-codes.ts';

/** DATA FORM values this drive knows (MMC-6 §6.33.3.12-14). */
export const CueDataForm = {
  /** CD-DA, 2352 bytes from the host. Not for data tracks. */
  Audio: 0x00,
  /** CD-DA zero data the drive generates (lead-in, lead-out, audio pre-gaps): no bytes. */
  AudioGenerated: 0x01,
  /** CD-ROM Mode 1, 2048 user bytes from the host; the drive adds sync, header, EDC/ECC. */
  Mode1: 0x10,
  /** CD-ROM Mode 1 zero data the drive generates: no bytes. */
  Mode1Generated: 0x14,
} as const;

const GENERATED: readonly number[] = [CueDataForm.AudioGenerated, CueDataForm.Mode1Generated];

/** Red Book minimum track length: 4 seconds (300 blocks) from INDEX 01. */
export const MIN_TRACK_BLOCKS = 300;

const LEAD_OUT_TNO = 0xaa;

export interface CueTrack {
  readonly number: number;
  /** First block of the pre-gap (INDEX 00); = start when the track has none. */
  readonly pregapStart: number;
  /** INDEX 01: the track start the TOC reports. */
  readonly start: number;
  /** First block after the track (the next pre-gap, or the lead-out). */
  readonly end: number;
  /** The host sends the pre-gap's blocks (data form 10h) rather than the drive generating them. */
  readonly pregapSent: boolean;
}

export interface CuePlan {
  readonly tracks: readonly CueTrack[];
  /** The lead-out start: the session's end. */
  readonly leadOut: number;
}

interface Position {
  readonly ctlAdr: number;
  readonly tno: number;
  readonly index: number;
  readonly form: number;
  readonly lba: number;
}

function invalid(): never {
  throw check(SENSE.InvalidFieldInParameterList);
}

/**
 * Checks `sheet` (whole 8-byte entries) against the rules above for a blank
 * disc of `capacity` blocks; throws 5/26/00 on the first violation. With
 * `generatesPregap` false the drive generates no Mode 1 zero data between
 * the lead-in and the lead-out: a pre-gap of data form 14h is refused, and
 * the host sends track 1's pre-gap from LBA -150 as libburn and cdrecord do
 * (libburn cookbook.txt, "SAO CD Cookbook": 14h is the data pause of the
 * lead-in and lead-out; the pre-gap entry carries 10h and "The LBA for the
 * first write is negative: -150").
 */
export function parseCuePlan(
  sheet: Uint8Array,
  capacity: number,
  options: { readonly generatesPregap?: boolean } = {},
): CuePlan {
  const generatesPregap = options.generatesPregap ?? true;
  if (sheet.length === 0 || sheet.length % 8 !== 0) invalid();
  const positions: Position[] = [];
  for (let at = 0; at < sheet.length; at += 8) {
    const ctlAdr = sheet[at] ?? 0;
    const adr = ctlAdr & 0x0f;
    if (adr === 2 || adr === 3) continue; // MCN / ISRC: sub-channel text only
    if (adr !== 1) invalid();
    if (((ctlAdr >> 4) & 0x0d) !== 0x04) invalid(); // data, 2 channels, uninterrupted
    const min = sheet[at + 5] ?? 0;
    const sec = sheet[at + 6] ?? 0;
    const frame = sheet[at + 7] ?? 0;
    if (min > 99 || sec > 59 || frame > 74) invalid();
    positions.push({
      ctlAdr,
      tno: sheet[at + 1] ?? 0,
      index: sheet[at + 2] ?? 0,
      form: sheet[at + 3] ?? 0,
      lba: (min * 60 + sec) * 75 + frame - 150,
    });
  }
  const leadIn = positions[0];
  const leadOut = positions[positions.length - 1];
  if (!leadIn || !leadOut || positions.length < 3) invalid();
  if (leadIn.tno !== 0 || leadIn.index !== 0 || !GENERATED.includes(leadIn.form)) invalid();
  if (leadOut.tno !== LEAD_OUT_TNO || leadOut.index !== 1 || !GENERATED.includes(leadOut.form)) {
    invalid();
  }

  // Group the program's entries by track, checking order as we go.
  interface Building {
    number: number;
    pregapStart: number | undefined;
    pregapSent: boolean;
    start: number | undefined;
    lastIndex: number;
  }
  const building: Building[] = [];
  let previousLba = leadIn.lba;
  const program = positions.slice(1, -1);
  for (const [i, p] of program.entries()) {
    // Lead-in and track 1's pre-gap share a time; after that times strictly increase.
    if (i === 0 ? p.lba !== previousLba : p.lba <= previousLba) invalid();
    previousLba = p.lba;
    if ((p.form & 0xc0) !== 0) invalid(); // no sub-channel data from the host
    let t = building[building.length - 1];
    if (!t || p.tno !== t.number) {
      if (p.tno !== (t?.number ?? 0) + 1 || p.tno > 99) invalid();
      t = {
        number: p.tno,
        pregapStart: undefined,
        pregapSent: false,
        start: undefined,
        lastIndex: -1,
      };
      building.push(t);
    }
    if (p.index !== t.lastIndex + 1 && !(t.lastIndex === -1 && p.index === 1)) invalid();
    t.lastIndex = p.index;
    if (p.index === 0) {
      if (p.form !== CueDataForm.Mode1 && p.form !== CueDataForm.Mode1Generated) invalid();
      if (p.form === CueDataForm.Mode1Generated && !generatesPregap) invalid();
      t.pregapStart = p.lba;
      t.pregapSent = p.form === CueDataForm.Mode1;
    } else {
      if (p.form !== CueDataForm.Mode1) invalid();
      if (p.index === 1) t.start = p.lba;
    }
    if (p.index > 99) invalid();
  }
  if (leadOut.lba <= previousLba || leadOut.lba > capacity) invalid();

  const tracks: CueTrack[] = [];
  for (const [i, t] of building.entries()) {
    if (t.start === undefined) invalid();
    const next = building[i + 1];
    const end = next ? (next.pregapStart ?? next.start ?? leadOut.lba) : leadOut.lba;
    if (end - t.start < MIN_TRACK_BLOCKS) invalid();
    tracks.push({
      number: t.number,
      pregapStart: t.pregapStart ?? t.start,
      start: t.start,
      end,
      pregapSent: t.pregapSent,
    });
  }
  const first = tracks[0];
  // A blank disc's first track starts the program area: pre-gap 00:00:00, INDEX 01 00:02:00.
  if (!first || first.pregapStart !== -150 || first.start !== 0) invalid();
  return { tracks, leadOut: leadOut.lba };
}

/** One stretch of the session that the host sends, or that the drive generates. */
interface Region {
  readonly start: number;
  readonly end: number;
  readonly sent: boolean;
  /** The track whose user data (INDEX >= 1) this is; undefined for a pre-gap. */
  readonly track: number | undefined;
}

/** The SAO write pointer over an accepted cue sheet. */
export class SaoWriter {
  readonly plan: CuePlan;
  readonly #regions: Region[] = [];
  #next: number;

  constructor(plan: CuePlan) {
    this.plan = plan;
    for (const t of plan.tracks) {
      if (t.start > t.pregapStart) {
        this.#regions.push({
          start: t.pregapStart,
          end: t.start,
          sent: t.pregapSent,
          track: undefined,
        });
      }
      this.#regions.push({ start: t.start, end: t.end, sent: true, track: t.number });
    }
    this.#next = this.#skipGenerated(this.#regions[0]?.start ?? 0);
  }

  /** The LBA of the next block the host must send (the lead-out once all are in). */
  get next(): number {
    return this.#next;
  }

  /** The first block the host sends (before any WRITE). */
  get firstSent(): number {
    return this.#skipGenerated(this.#regions[0]?.start ?? 0);
  }

  /** Some block has been taken: the session is under way. */
  get started(): boolean {
    return this.#next !== this.firstSent;
  }

  /** Every block the cue sheet asks the host for has arrived. */
  get complete(): boolean {
    return this.#next >= this.plan.leadOut;
  }

  /** WRITE(10) address check (signed LBA); see the file comment for the senses. */
  check(lba: number, blocks: number): void {
    if (lba !== this.#next) throw check(SENSE.InvalidAddressForWrite);
    if (lba + blocks > this.plan.leadOut) throw check(SENSE.LbaOutOfRange);
    for (const r of this.#regions) {
      if (!r.sent && r.start < lba + blocks && r.end > lba) {
        throw check(SENSE.InvalidAddressForWrite);
      }
    }
  }

  /** The track whose user data holds `lba`, or undefined (a pre-gap). */
  trackAt(lba: number): number | undefined {
    return this.#regions.find((r) => lba >= r.start && lba < r.end)?.track;
  }

  /** `blocks` more arrived; the pointer moves past them and any generated region after. */
  advance(blocks: number): void {
    this.#next = this.#skipGenerated(this.#next + blocks);
  }

  #skipGenerated(lba: number): number {
    let at = lba;
    for (const r of this.#regions) if (!r.sent && at === r.start) at = r.end;
    return at;
  }
}
