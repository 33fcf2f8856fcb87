/**
 * The recorded state of one disc: sessions, tracks, the next writable
 * address, and the rules that decide whether a write, a reservation, a close
 * or an erase is allowed (MMC-6 §4.5 CD, §4.6 DVD-R/RW, §4.11-4.12 DVD+R/RW,
 * §4.13-4.14 BD). Sense for each refusal is chosen here; byte layouts of the
 * responses are built in mmc.ts.
 *
 * Model (kept simple, consistent across TOC, READ DISC INFORMATION and READ
 * TRACK INFORMATION):
 * - Sequential media (CD-R/RW, DVD±R, DVD-RW, BD-R) have tracks numbered from
 *   1. While the disc is not finalized the last track of the open session is
 *   the "invisible" track (MMC-6 §4.5.3.1): open-ended, written only at its
 *   NWA = start + recorded blocks. RESERVE TRACK turns the empty invisible
 *   track into a fixed-size reserved track and starts a new invisible one
 *   after it. CLOSE TRACK fixes a track's size; CLOSE SESSION closes every
 *   open track, and either finalizes the disc or leaves it appendable with
 *   the next session starting after a lead-out/lead-in gap (`sessionGap`).
 * - DVD+RW and BD-RE are blank until FORMAT UNIT; then they are one track
 *   covering the formatted capacity, written anywhere (random access).
 * - Pressed media are one complete session with one complete track.
 * - Sectors inside the recorded extent that were never written read as zeros;
 *   the gaps between sessions (lead-out, lead-in) and reads past the extent
 *   get 5/21/00.
 */
import { BackgroundFormat, type BackgroundFormatState } from './background-format.ts';
import { MEDIA, type MediaInfo, type MediaName } from './media.ts';
import { check, SENSE } from './sense-codes.ts';
import { DiscardSectorStore, GeneratedSectorStore, type SectorStore } from './store.ts';

export interface Track {
  readonly number: number;
  readonly session: number;
  readonly start: number;
  /** Fixed size in blocks; undefined for the open-ended invisible track. */
  size: number | undefined;
  /** Blocks written from `start` (sequential media write in order, so NWA = start + recorded). */
  recorded: number;
  /** A complete track: no more writes. */
  closed: boolean;
  /** Created by RESERVE TRACK (READ TRACK INFORMATION RT bit). */
  readonly reserved: boolean;
}

/** READ DISC INFORMATION byte 2 bits 1:0 (MMC-6 §6.22.3.1.4). */
export const DiscStatus = { Empty: 0, Incomplete: 1, Complete: 2, Other: 3 } as const;
export type DiscStatus = (typeof DiscStatus)[keyof typeof DiscStatus];
/** READ DISC INFORMATION byte 2 bits 3:2. */
export const SessionState = { Empty: 0, Incomplete: 1, Complete: 3 } as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

export interface SessionInfo {
  readonly number: number;
  readonly firstTrack: number;
  readonly lastTrack: number;
  readonly start: number;
  /** First block after the session's last track (its lead-out start, in the TOC). */
  readonly leadOut: number;
  readonly closed: boolean;
}

/** How a formattable disc starts: `'partial'` is a DVD+RW whose background format was stopped and closed. */
export type Formatted = boolean | 'partial';

export interface DiscSnapshot {
  readonly media: string;
  readonly status: DiscStatus;
  readonly lastSessionState: SessionState;
  readonly sessions: number;
  readonly tracks: readonly Readonly<Track>[];
  readonly nextWritableAddress: number | undefined;
  readonly freeBlocks: number;
  readonly capacity: number;
  readonly formatted: boolean;
  readonly readableBlocks: number;
  /** DVD+RW: READ DISC INFORMATION BG FORMAT STATUS (0 none, 1 stopped, 2 running, 3 complete). */
  readonly bgFormat: number | undefined;
  /** A lead-out follows the data, so other drives read the disc (false while a DVD+RW format runs unclosed). */
  readonly readableElsewhere: boolean;
}

/** A track as plain JSON-safe data (`size` null for the open-ended invisible track). */
export interface TrackState {
  readonly number: number;
  readonly session: number;
  readonly start: number;
  readonly size: number | null;
  readonly recorded: number;
  readonly closed: boolean;
  readonly reserved: boolean;
}

/**
 * A disc's recorded state as plain JSON-safe data: everything but its
 * sectors, which stay in its store. `Disc.fromState` rebuilds the disc over
 * a store holding them (drive-state.ts checks untrusted data first).
 */
export interface DiscState {
  /** What the disc is now (a blanked DVD-RW in restricted overwrite is 'dvd-rw'). */
  readonly media: Exclude<MediaName, 'none'>;
  readonly capacity: number;
  readonly tracks: readonly TrackState[];
  readonly closedSessions: number;
  readonly finalized: boolean;
  readonly formatted: boolean;
  readonly incrementalAllowed: boolean;
  /** DVD+RW: its background format, else null. */
  readonly background: BackgroundFormatState | null;
  /** The sectors are the drive's generated pressed volume (rom-content.ts), so no store holds them. */
  readonly generated: boolean;
}

export class Disc {
  /** What the disc is now: BLANK turns a DVD-RW in restricted overwrite into a sequential one. */
  media: MediaInfo;
  readonly store: SectorStore;
  tracks: Track[] = [];
  closedSessions = 0;
  finalized = false;
  formatted = false;
  /** The drive ran optimum power calibration on this disc (its first WRITE did). */
  calibrated = false;
  /** DVD+RW only: the background format (background-format.ts) once FORMAT UNIT started one. */
  background: BackgroundFormat | undefined;
  /**
   * Feature 0021h (Incremental Streaming Writable) is current for this disc.
   * A DVD-RW blanked with BLANK 001b (minimal) loses it: it can then be
   * written only disc-at-once, until a full blank brings it back (libburn
   * cookbook.txt: "After minimal blanking (type 001b) DVD-RW my two drives
   * do not offer the Incremental Streaming feature 0021h the media any
   * more. Full blanking (000b) brings back this feature.").
   */
  incrementalAllowed = true;
  /** User capacity in blocks: the blank capacity, the formatted capacity, or the ROM size. */
  capacity: number;

  private constructor(media: MediaInfo, store: SectorStore, capacity: number) {
    this.media = media;
    this.store = store;
    this.capacity = capacity;
  }

  /** A fresh disc as it comes out of the box (or a pressed one, for ROM media). */
  static fresh(
    media: MediaInfo,
    store: SectorStore,
    options: { formatted?: Formatted } = {},
  ): Disc {
    const disc = new Disc(media, store, media.capacity);
    switch (media.kind) {
      case 'rom':
        disc.#setComplete(media.capacity);
        break;
      case 'formattable':
        if (options.formatted || media.formattedAlways) disc.#setFormatted(media.capacity);
        else disc.#setUnformatted();
        if (media.name === 'dvd+rw' && options.formatted) {
          // A quarter formatted, in whole ECC blocks, for 'partial'.
          const quarter = Math.floor(media.capacity / 64) * 16;
          disc.background =
            options.formatted === 'partial'
              ? BackgroundFormat.stopped(media.capacity, quarter)
              : BackgroundFormat.complete(media.capacity);
        }
        break;
      default:
        disc.#setBlank();
    }
    return disc;
  }

  /**
   * A disc holding `blocks` of image data from LBA 0, in one closed session:
   * pressed (ROM), finalized or left appendable (recordable), or formatted.
   */
  static recorded(
    media: MediaInfo,
    store: SectorStore,
    blocks: number,
    options: { finalize?: boolean } = {},
  ): Disc {
    if (media.kind === 'rom') {
      const disc = new Disc(media, store, blocks);
      disc.#setComplete(blocks);
      return disc;
    }
    const disc = new Disc(media, store, media.capacity);
    if (media.kind === 'formattable') {
      disc.#setFormatted(media.capacity);
      if (media.name === 'dvd+rw') disc.background = BackgroundFormat.complete(media.capacity);
      return disc;
    }
    disc.tracks = [track(1, 1, 0, blocks, blocks, true)];
    disc.closedSessions = 1;
    if (options.finalize ?? true) disc.finalized = true;
    else disc.#openNextSession(blocks);
    return disc;
  }

  /** This disc's recorded state as plain data (`now`: drive time, for a running DVD+RW format). */
  toState(now: number): DiscState {
    return {
      media: this.media.name as Exclude<MediaName, 'none'>,
      capacity: this.capacity,
      tracks: this.tracks.map((t) => ({ ...t, size: t.size ?? null })),
      closedSessions: this.closedSessions,
      finalized: this.finalized,
      formatted: this.formatted,
      incrementalAllowed: this.incrementalAllowed,
      background: this.background?.toState(now) ?? null,
      generated: this.store instanceof GeneratedSectorStore,
    };
  }

  /**
   * The disc `toState` described, its sectors in `store`, as a drive powered
   * on with it finds it (no power calibration done yet).
   */
  static fromState(state: DiscState, store: SectorStore, now: number): Disc {
    const disc = new Disc(MEDIA[state.media], store, state.capacity);
    disc.tracks = state.tracks.map((t) =>
      track(t.number, t.session, t.start, t.size ?? undefined, t.recorded, t.closed, t.reserved),
    );
    disc.closedSessions = state.closedSessions;
    disc.finalized = state.finalized;
    disc.formatted = state.formatted;
    disc.incrementalAllowed = state.incrementalAllowed;
    disc.background = state.background
      ? BackgroundFormat.fromState(state.background, now)
      : undefined;
    return disc;
  }

  /**
   * A copy of this disc's recorded state over a store that keeps nothing:
   * what the drive writes to while page 05h TEST WRITE is set (MMC-6 §7.5.4),
   * so a simulated WRITE, RESERVE TRACK or CLOSE passes every check a real
   * one would and moves its own NWA, while this disc stays as it was.
   */
  simulation(): Disc {
    const copy = new Disc(this.media, new DiscardSectorStore(), this.capacity);
    copy.tracks = this.tracks.map((t) => ({ ...t }));
    copy.closedSessions = this.closedSessions;
    copy.finalized = this.finalized;
    copy.formatted = this.formatted;
    copy.incrementalAllowed = this.incrementalAllowed;
    copy.background = this.background;
    return copy;
  }

  get sequential(): boolean {
    return this.media.kind === 'write-once' || this.media.kind === 'erasable';
  }

  get randomAccess(): boolean {
    return this.media.kind === 'formattable' && this.formatted;
  }

  #setBlank(): void {
    this.tracks = [track(1, 1, 0, undefined, 0, false)];
    this.closedSessions = 0;
    this.finalized = false;
    this.formatted = false;
    this.capacity = this.media.capacity;
  }

  #setUnformatted(): void {
    this.tracks = [track(1, 1, 0, this.media.capacity, 0, false)];
    this.closedSessions = 0;
    this.finalized = false;
    this.formatted = false;
    this.capacity = this.media.capacity;
  }

  #setFormatted(capacity: number): void {
    this.capacity = capacity;
    this.tracks = [track(1, 1, 0, capacity, capacity, true)];
    this.closedSessions = 1;
    this.finalized = true;
    this.formatted = true;
  }

  #setComplete(blocks: number): void {
    this.capacity = blocks;
    this.tracks = [track(1, 1, 0, blocks, blocks, true)];
    this.closedSessions = 1;
    this.finalized = true;
  }

  // ---- derived state -------------------------------------------------------

  /** MMC-6 §6.22.3.1.4. DVD+RW formatted reports Complete and BD-RE formatted Other (random access), as drives do. */
  get status(): DiscStatus {
    if (this.media.kind === 'rom') return DiscStatus.Complete;
    if (this.media.kind === 'formattable') {
      if (!this.formatted) return DiscStatus.Empty;
      return this.media.family === 'bd' ? DiscStatus.Other : DiscStatus.Complete;
    }
    if (this.finalized) return DiscStatus.Complete;
    return this.closedSessions === 0 && !this.#openSessionUsed()
      ? DiscStatus.Empty
      : DiscStatus.Incomplete;
  }

  get lastSessionState(): SessionState {
    if (this.finalized) return SessionState.Complete;
    return this.#openSessionUsed() ? SessionState.Incomplete : SessionState.Empty;
  }

  /** Sessions counted by READ DISC INFORMATION: the open (possibly empty) one included. */
  get sessionCount(): number {
    return this.finalized ? this.closedSessions : this.closedSessions + 1;
  }

  get openSession(): number | undefined {
    return this.finalized ? undefined : this.closedSessions + 1;
  }

  #openSessionUsed(): boolean {
    const open = this.openSession;
    return this.tracks.some(
      (t) => t.session === open && (t.recorded > 0 || t.closed || t.reserved),
    );
  }

  get lastTrack(): Track {
    return this.tracks[this.tracks.length - 1]!;
  }

  /** The open-ended track at the end of an appendable disc. */
  get invisibleTrack(): Track | undefined {
    const last = this.tracks[this.tracks.length - 1];
    return last && !last.closed && last.size === undefined ? last : undefined;
  }

  /** First block after the last recorded one: READ CAPACITY and READ(10) stop here. */
  get readableEnd(): number {
    let end = 0;
    for (const t of this.tracks) if (t.recorded > 0) end = Math.max(end, t.start + t.recorded);
    return end;
  }

  trackEnd(t: Track): number {
    return t.size === undefined ? this.capacity : t.start + t.size;
  }

  freeBlocks(t: Track): number {
    if (t.closed) return 0;
    if (this.media.kind === 'formattable' && !this.formatted) return t.size ?? 0;
    return Math.max(0, this.trackEnd(t) - t.start - t.recorded);
  }

  /** NWA of a track that can be written sequentially, else undefined. */
  nextWritableAddress(t: Track): number | undefined {
    if (!this.sequential || t.closed || this.finalized) return undefined;
    return t.start + t.recorded;
  }

  trackByNumber(n: number): Track | undefined {
    return this.tracks.find((t) => t.number === n);
  }

  trackForLba(lba: number): Track | undefined {
    return this.tracks.find((t) => lba >= t.start && lba < this.trackEnd(t));
  }

  sessions(): SessionInfo[] {
    const out: SessionInfo[] = [];
    for (let s = 1; s <= this.sessionCount; s++) {
      const ts = this.tracks.filter((t) => t.session === s);
      const first = ts[0];
      const last = ts[ts.length - 1];
      if (!first || !last) continue;
      out.push({
        number: s,
        firstTrack: first.number,
        lastTrack: last.number,
        start: first.start,
        leadOut: last.start + (last.size ?? last.recorded),
        closed: s <= this.closedSessions,
      });
    }
    return out;
  }

  snapshot(): DiscSnapshot {
    const inv = this.invisibleTrack;
    return {
      media: this.media.name,
      status: this.status,
      lastSessionState: this.lastSessionState,
      sessions: this.sessionCount,
      tracks: this.tracks.map((t) => ({ ...t })),
      nextWritableAddress: inv ? this.nextWritableAddress(inv) : undefined,
      freeBlocks: inv ? this.freeBlocks(inv) : 0,
      capacity: this.capacity,
      formatted: this.formatted,
      readableBlocks: this.readableEnd,
      bgFormat: this.media.name === 'dvd+rw' ? (this.background?.status ?? 0) : undefined,
      readableElsewhere: this.#readableElsewhere(),
    };
  }

  /** Another drive reads it: pressed, a closed session, a formatted disc, a DVD+RW with its lead-out. */
  #readableElsewhere(): boolean {
    if (this.media.kind === 'rom') return true;
    if (this.media.name === 'dvd+rw') return this.background?.readableElsewhere ?? false;
    if (this.media.kind === 'formattable') return this.formatted;
    return this.closedSessions > 0;
  }

  // ---- rules ---------------------------------------------------------------

  /** READ(10) range check: 5/21/00 past the recorded extent (MMC-6 §6.15). */
  checkRead(lba: number, blocks: number): void {
    if (lba + blocks > this.readableEnd) throw check(SENSE.LbaOutOfRange);
    // Between sessions lie the earlier session's lead-out and the next one's
    // lead-in: no user data, not addressable, and a READ that reaches them is
    // refused as real drives refuse it (5/21/00), so a host must read a
    // multisession disc session by session (or skip the gaps).
    const sessions = this.sessions();
    for (let i = 0; i + 1 < sessions.length; i++) {
      const gapStart = sessions[i]!.leadOut;
      const gapEnd = sessions[i + 1]!.start;
      if (lba < gapEnd && lba + blocks > gapStart) throw check(SENSE.LbaOutOfRange);
    }
  }

  /**
   * WRITE(10) address check (MMC-6 §6.44): returns the track written.
   * - pressed media: 5/30/05 (a pressed disc reports an incompatible format
   *   rather than DATA PROTECT, which drives keep for write-protect switches)
   * - DVD+RW / BD-RE not formatted: 5/30/10
   * - random access: any LBA inside the formatted capacity, else 5/21/00; on
   *   DVD-RW restricted overwrite start and length in whole 32 KiB ECC blocks,
   *   else 5/21/02 (the drive has no read-modify-write; growisofs and
   *   libburn align to 32 KiB there, docs/real-drives.md §4)
   * - sequential: only at the NWA of an open track (5/21/02 otherwise, and on
   *   a finalized disc, which has no NWA); past the track or the disc, 5/21/00
   */
  checkWrite(lba: number, blocks: number): Track | undefined {
    if (this.media.kind === 'rom') throw check(SENSE.CannotWriteIncompatibleFormat);
    if (this.media.kind === 'formattable') {
      if (!this.formatted) throw check(SENSE.MediumNotFormatted);
      if (lba + blocks > this.capacity) throw check(SENSE.LbaOutOfRange);
      const align = this.media.writeAlignment;
      if (lba % align !== 0 || blocks % align !== 0) throw check(SENSE.InvalidAddressForWrite);
      return undefined;
    }
    if (this.finalized) throw check(SENSE.InvalidAddressForWrite);
    const t = this.tracks.find((x) => !x.closed && x.start + x.recorded === lba);
    if (!t) throw check(SENSE.InvalidAddressForWrite);
    if (lba + blocks > this.trackEnd(t)) throw check(SENSE.LbaOutOfRange);
    return t;
  }

  /** Records that `blocks` were written at the NWA of `t` (sequential media). */
  commitWrite(t: Track | undefined, blocks: number): void {
    if (!t) return;
    t.recorded += blocks;
    // A reserved track written to its end is complete (MMC-6 §4.5.3.3).
    if (t.size !== undefined && t.recorded >= t.size) t.closed = true;
  }

  /** RESERVE TRACK (MMC-6 §6.31). */
  reserveTrack(size: number): Track {
    if (!this.sequential) throw check(SENSE.CannotWriteIncompatibleFormat);
    const inv = this.invisibleTrack;
    // Only the empty invisible track can become a reservation (MMC-6 §6.31.3).
    if (!inv || inv.recorded !== 0) throw check(SENSE.CommandSequenceError);
    if (size === 0 || inv.start + size > this.capacity) throw check(SENSE.InvalidFieldInCdb);
    const reservedTrack = track(inv.number, inv.session, inv.start, size, 0, false, true);
    this.tracks[this.tracks.length - 1] = reservedTrack;
    const nextStart = Math.min(this.capacity, inv.start + size + this.media.trackGap);
    this.tracks.push(track(inv.number + 1, inv.session, nextStart, undefined, 0, false));
    return reservedTrack;
  }

  /** CLOSE TRACK/SESSION function 001b (MMC-6 §6.3.2.2). */
  closeTrack(number: number): void {
    if (!this.sequential) return; // DVD+RW/BD-RE: nothing to close (§6.3.2.6)
    if (this.finalized) throw check(SENSE.CommandSequenceError);
    const t = this.trackByNumber(number);
    if (!t || t.session !== this.openSession) throw check(SENSE.InvalidFieldInCdb);
    if (t.closed) throw check(SENSE.CommandSequenceError);
    if (t.size === undefined) {
      if (t.recorded === 0) throw check(SENSE.CommandSequenceError);
      t.size = t.recorded;
      t.closed = true;
      const nextStart = Math.min(this.capacity, t.start + t.size + this.media.trackGap);
      this.tracks.push(track(t.number + 1, t.session, nextStart, undefined, 0, false));
    } else {
      // A reserved track closed early keeps its size (the drive pads it).
      t.closed = true;
    }
  }

  /**
   * CLOSE SESSION (function 010b) or finalize (101b/110b), MMC-6 §6.3.2.3-5.
   * `finalize` false leaves the disc appendable with a new empty session.
   */
  closeSession(finalize: boolean): void {
    if (!this.sequential) return;
    if (this.finalized) throw check(SENSE.CommandSequenceError);
    const open = this.openSession;
    const inSession = this.tracks.filter((t) => t.session === open);
    const used = inSession.some((t) => t.recorded > 0 || t.closed);
    if (!used) {
      // Nothing in the open session: only finalizing an already recorded disc makes sense.
      if (!finalize || this.closedSessions === 0) throw check(SENSE.CommandSequenceError);
      this.tracks = this.tracks.filter((t) => t.session !== open);
      this.finalized = true;
      return;
    }
    for (const t of inSession) {
      if (t.closed) continue;
      if (t.size === undefined) t.size = t.recorded;
      t.closed = true;
    }
    // An invisible track that stayed empty is not part of the closed session.
    this.tracks = this.tracks.filter((t) => !(t.session === open && t.size === 0 && !t.reserved));
    this.closedSessions++;
    const last = this.lastTrack;
    const end = last.start + (last.size ?? 0);
    if (finalize) this.finalized = true;
    else this.#openNextSession(end);
  }

  #openNextSession(afterBlock: number): void {
    const gap = this.closedSessions <= 1 ? this.media.sessionGap.first : this.media.sessionGap.next;
    const start = afterBlock + gap;
    if (start >= this.capacity) {
      this.finalized = true; // no room for another session
      return;
    }
    const number = (this.tracks[this.tracks.length - 1]?.number ?? 0) + 1;
    this.tracks.push(track(number, this.closedSessions + 1, start, undefined, 0, false));
  }

  /**
   * Session at Once (MMC-6 §4.5.4.3): the tracks of an accepted cue sheet
   * replace the empty invisible track of a blank disc, each with its fixed
   * size (INDEX 01 to the next pre-gap or the lead-out). They fill as the
   * host writes; CLOSE SESSION (closeSession) then writes the lead-out.
   */
  layoutSao(tracks: readonly { start: number; end: number }[]): void {
    if (this.status !== DiscStatus.Empty || !this.sequential) {
      throw check(SENSE.CommandSequenceError);
    }
    this.tracks = tracks.map((t, i) => track(i + 1, 1, t.start, t.end - t.start, 0, false));
  }

  /**
   * BLANK types 0 and 1 (MMC-6 §6.2): the disc is blank again. `incremental`
   * says whether it can then be written incrementally (false after a
   * minimal blank of a DVD-RW on a drive that behaves as libburn's did);
   * `becomes` is the medium after it (a DVD-RW in restricted overwrite is
   * sequential again: "Profile transition from formatted 0013h to
   * unformatted 0014h is done by A1h BLANK", libburn cookbook.txt).
   */
  async blank(incremental = true, becomes: MediaInfo = this.media): Promise<void> {
    await this.store.clear();
    this.calibrated = false;
    this.media = becomes;
    this.#setBlank();
    this.incrementalAllowed = incremental;
  }

  /**
   * FORMAT UNIT (MMC-6 §6.5) on DVD+RW / BD-RE: one random-access track of
   * `capacity` blocks; a DVD+RW's format then runs in the background (`background`).
   */
  async format(capacity: number, background?: BackgroundFormat): Promise<void> {
    await this.store.clear();
    this.calibrated = false;
    this.#setFormatted(capacity);
    this.background = background;
  }
}

function track(
  number: number,
  session: number,
  start: number,
  size: number | undefined,
  recorded: number,
  closed: boolean,
  reserved = false,
): Track {
  return { number, session, start, size, recorded, closed, reserved };
}
