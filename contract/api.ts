/**
 * The recorder service's public surface: the engine implements it, the UI
 * calls it through Comlink (it sees the worker only through this type) and
 * the CLI calls it in-process. Types only; the rules that go with them
 * (HRESULTs, client names, profiles) are the contract's other modules.
 *
 * Every call resolves to a Result (./errors.ts): errors cross the boundary
 * as values, `{ hresult, name, message, sense }`.
 */
import type { ErrorValue, OperationFailure, OperationResult, Result, Sense } from './errors.ts';
import type { Progress } from './progress.ts';

export type { ErrorValue, OperationFailure, OperationResult, Result, Sense };
export type { BurnAction, BurnProgress, Progress } from './progress.ts';

export type RecorderKind = 'virtual' | 'usb';

export interface RecorderSummary {
  /** Stable across sessions: vendor:product:serial (or bus path), "virtual" for the virtual drive. */
  readonly id: string;
  readonly name: string;
  readonly kind: RecorderKind;
  readonly vendorId: number;
  readonly productId: number;
  readonly serial: string | null;
}

export interface RecorderIdentity {
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly serial: string | null;
  readonly vendorId: number;
  readonly productId: number;
}

export interface ProfileInfo {
  readonly code: number;
  readonly name: string;
  readonly current: boolean;
}

export type FieldValue = string | number | boolean;

export interface FeatureInfo {
  readonly code: number;
  readonly name: string;
  readonly current: boolean;
  readonly persistent: boolean;
  readonly version: number;
  /** Decoded fields for display; unknown features give { raw: "hex" }. */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export interface ModePageInfo {
  readonly code: number;
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly rawHex: string;
}

export interface Capabilities {
  /** null: the drive did not say (no Removable Medium feature and no page 2Ah). */
  readonly canLoadMedia: boolean | null;
  readonly canEject: boolean | null;
  readonly canLock: boolean | null;
  readonly loadingMechanism: string;
  readonly reads: readonly string[];
  readonly writes: readonly string[];
  readonly testWrite: boolean;
  readonly bufferUnderrunProtection: boolean;
  readonly bufferSizeKiB: number | null;
  readonly maxReadSpeedKBps: number | null;
  readonly writeSpeedsKBps: readonly number[];
  /** null until the first acquire has tried RESERVE(6). */
  readonly reserveSupported: boolean | null;
}

export interface RecorderInfo {
  readonly summary: RecorderSummary;
  readonly identity: RecorderIdentity;
  readonly profiles: readonly ProfileInfo[];
  readonly currentProfile: ProfileInfo | null;
  readonly features: readonly FeatureInfo[];
  readonly modePages: readonly ModePageInfo[];
  readonly capabilities: Capabilities;
  /** Commands (and mode pages) the drive rejected as unsupported while we read it, each once. */
  readonly unsupported: readonly string[];
}

export type DiscStatus = 'none' | 'blank' | 'appendable' | 'complete' | 'random-access';

export interface TrackInfo {
  readonly number: number;
  readonly session: number;
  readonly start: number;
  readonly size: number;
  readonly mode: 'data' | 'audio';
}

export interface MediaState {
  readonly present: boolean;
  readonly trayOpen: boolean | null;
  readonly profile: ProfileInfo | null;
  /** IMAPI2's IMAPI_MEDIA_PHYSICAL_TYPE name, e.g. IMAPI_MEDIA_TYPE_DVDPLUSR. */
  readonly physicalType: string;
  readonly status: DiscStatus;
  readonly erasable: boolean;
  readonly sessions: number;
  readonly tracks: readonly TrackInfo[];
  readonly blockSize: number;
  readonly capacityBlocks: number;
  readonly freeBlocks: number;
  readonly nextWritableAddress: number | null;
  /**
   * The write speeds (kB/s, fastest first) the drive reports for this disc:
   * GET PERFORMANCE TYPE 03h for DVD and BD, else page 2Ah's write speed
   * descriptors; read with the medium, so a new disc brings its own (issue
   * 19, defect 2). Empty when it reports none; absent where not read.
   */
  readonly writeSpeedsKBps?: readonly number[];
}

export interface LockState {
  /**
   * This session's lock count (IMAPI2's lock count for its owner): the
   * client's acquires plus 1 while its own erase or burn holds the drive.
   */
  readonly count: number;
  /** The owner's client name, from any session; '' when free. */
  readonly owner: string;
  readonly ownedByMe: boolean;
  /** Another session owns it: this session sees the drive as busy. */
  readonly busy: boolean;
  /** The drive's own PREVENT state (mode page 2Ah Lock State), when it reports one. */
  readonly trayLocked: boolean | null;
  /**
   * The drive is locked but no live session owns it (a crashed owner); null
   * when the drive could not say whether it is locked.
   */
  readonly stale: boolean | null;
  /** IMAPI v1 openExclusive() is in effect. */
  readonly openedV1: boolean;
}

/** IDiscRecorder::QueryMediaType. */
export interface MediaTypeV1 {
  readonly type: string;
  readonly blank: boolean;
  readonly rewritable: boolean;
  readonly writable: boolean;
}

/** IDiscRecorder::QueryMediaInfo. */
export interface MediaInfoV1 {
  readonly sessions: number;
  readonly lastTrack: number;
  readonly startAddress: number;
  readonly nextWritable: number;
  readonly freeBlocks: number;
}

export type RawData =
  | { readonly direction: 'none' }
  | { readonly direction: 'in'; readonly length: number }
  | { readonly direction: 'out'; readonly bytes: Uint8Array };

/** IDiscRecorder2Ex::SendCommand* result: sense comes back as data, not as an error. */
export interface RawResult {
  readonly status: 'good' | 'check-condition';
  readonly data: Uint8Array;
  readonly transferred: number;
  readonly sense: Sense | null;
  readonly senseText: string | null;
}

export interface TraceEntry {
  readonly seq: number;
  readonly recorderId: string;
  readonly time: number;
  readonly name: string;
  readonly cdbHex: string;
  readonly direction: 'none' | 'in' | 'out';
  readonly length: number;
  readonly transferred: number;
  readonly status: 'good' | 'check-condition' | 'error';
  readonly sense: Sense | null;
  readonly senseText: string | null;
  readonly error: string | null;
  readonly durationMs: number;
}

export type VerifyMode = 'none' | 'quick' | 'full';

export interface BurnOptions {
  /** Who holds the lock while the burn runs (the same rules as acquireExclusiveAccess). */
  readonly clientName: string;
  /** Close the disc (no more sessions); default false leaves it appendable where the medium allows. */
  readonly close?: boolean;
  readonly verify?: VerifyMode;
  /** Requested write speed in kB/s; adjusted to one the drive offers. */
  readonly speedKBps?: number;
  /** Test write: the drive goes through the motions with the laser off. */
  readonly simulate?: boolean;
  /** CD: track-at-once (default) or session-at-once. */
  readonly writeType?: 'tao' | 'sao';
  /** Random-writable media (DVD+RW, BD-RE) only: where to start; default 0. */
  readonly startLba?: number;
  /** Sectors per WRITE(10); default 128 (256 KiB). */
  readonly chunkSectors?: number;
  /**
   * The LBA the image was mastered for. An image's file system points at
   * fixed addresses, so one made for LBA 0 does not read back when written
   * after the data of a disc that has some: such a burn is refused unless
   * this says the image was made for the disc's next writable address
   * (mkisofs/xorriso -C), or 'any' for data that has no addresses in it.
   * A burn of files with `append` masters its session itself.
   */
  readonly masteredFor?: number | 'any';
}

export interface BurnReport {
  readonly startLba: number;
  readonly sectorCount: number;
  readonly lastWrittenLba: number | null;
  readonly durationMs: number;
  readonly verify: VerifyMode;
  /**
   * The disc was written and closed as asked, but its verification was
   * cancelled: written, not verified (the burn itself did not fail).
   */
  readonly verifyCancelled?: boolean;
  /** SHA-256 of the image, when a full verification proved the disc holds exactly it. */
  readonly sha256: string | null;
  readonly simulated: boolean;
  readonly writeType: 'tao' | 'sao' | 'dao' | 'incremental' | 'random';
  readonly speedKBps: number | null;
  readonly closed: boolean;
  /** The disc as the drive reports it afterwards. */
  readonly disc: MediaState;
}

export interface EraseOptions {
  readonly clientName: string;
  /** Full BLANK (or full format) instead of quick. */
  readonly full?: boolean;
}

export interface EraseReport {
  readonly method: 'blank-minimal' | 'blank-full' | 'format';
  readonly durationMs: number;
  readonly disc: MediaState;
}

/** The part of Blob a burn reads (the page's, a worker's and Node 20's Blob fit). */
export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** The part of ReadableStream a burn reads. */
export interface ReadableStreamLike<T> {
  getReader(): {
    read(): Promise<{ done: false; value: T } | { done: true; value?: T | undefined }>;
    releaseLock(): void;
  };
}

/**
 * One entry of a files-and-folders project as it crosses to the worker: the
 * page's File objects (from the directory picker, a drop or
 * `<input webkitdirectory>`) are structured-cloned, not read, so the tree
 * costs memory for its entries only. Times are ms since 1970 UTC; `mode` is
 * the POSIX permission bits Rock Ridge records (default 0644 / 0755).
 */
export type FileTreeEntry =
  | {
      readonly kind: 'file';
      readonly name: string;
      readonly blob: BlobLike;
      readonly mtime?: number;
      readonly mode?: number;
    }
  | {
      readonly kind: 'dir';
      readonly name: string;
      readonly children: readonly FileTreeEntry[];
      readonly mtime?: number;
      readonly mode?: number;
    }
  | {
      readonly kind: 'symlink';
      readonly name: string;
      readonly target: string;
      readonly mtime?: number;
    };

/** How a disc image is built from files (ISO 9660 + Rock Ridge + Joliet, UDF bridge). */
export interface FileImageOptions {
  /** The volume label; ISO 9660 shows it in upper-case d-characters, Joliet and UDF as given. */
  readonly volumeLabel?: string;
  readonly publisher?: string;
  /** A UDF bridge over the same file data; default true. */
  readonly udf?: boolean;
  /** UDF revision when `udf`: 1.02 (default; every OS reads it) or 2.50 (BD, with a metadata partition). */
  readonly udfRevision?: '1.02' | '2.50';
  /** ISO 9660 interchange level; default 3 (files of 4 GiB and more). */
  readonly isoLevel?: 1 | 2 | 3;
  /** The volume's date and that of entries without one (ms); fix it for reproducible images. */
  readonly date?: number;
  /**
   * Record each file's SHA-256 in the image (/.webdisc/SHA256SUMS, sha256sum's
   * format), taken as the bytes stream onto the disc, so `verify` can check
   * every file of every session without the source. Default false.
   */
  readonly checksums?: boolean;
  /** El Torito: path in the tree of a no-emulation BIOS boot image (xorriso -b). */
  readonly bootImage?: string;
  /** El Torito: path in the tree of an EFI system partition image (xorriso -e). */
  readonly efiImage?: string;
}

/** A name that a file system shows differently from the name given (per namespace). */
export interface FileNameChange {
  readonly path: string;
  readonly iso9660?: string;
  readonly joliet?: string;
  readonly rockRidge?: string;
  readonly udf?: string;
}

/** What a files-and-folders image will be, known before a byte is read. */
export interface FileImagePlan {
  readonly sectors: number;
  readonly bytes: number;
  readonly files: number;
  readonly directories: number;
  /** Bytes of file data (hard links counted once). */
  readonly dataBytes: number;
  readonly renamed: readonly FileNameChange[];
  /** Directories deeper than ISO 9660's eight levels, as plain ISO 9660 shows them. */
  readonly relocated: readonly { readonly path: string; readonly isoPath: string }[];
  /** Entries a namespace cannot hold (e.g. symbolic links in Joliet), never dropped silently. */
  readonly omitted: readonly {
    readonly path: string;
    readonly namespace: string;
    readonly reason: string;
  }[];
}

/** A new session of files planned for a disc that has some (planFileSession), not yet written. */
export interface FileSessionPlan {
  /** The new session's size. */
  readonly sectors: number;
  readonly bytes: number;
  /** Its first sector (the next writable address, or after the old volume when it grows in place). */
  readonly startSector: number;
  /** Overwritable media (DVD+RW, DVD-RW restricted overwrite, BD-RE): the volume grows in place. */
  readonly grow: boolean;
  /** What changes against the disc's newest tree ("/docs/a.txt"). */
  readonly edits: readonly {
    readonly kind: 'added' | 'replaced' | 'removed';
    readonly path: string;
  }[];
  /** Sectors free for it: the free blocks (write-once), or capacity less startSector (overwritable). */
  readonly freeSectors: number;
}

/** Where a burn reads its image from, as it crosses to the worker (structured clone / transfer). */
export type BurnSource =
  | { readonly kind: 'blob'; readonly blob: BlobLike }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'stream';
      readonly stream: ReadableStreamLike<Uint8Array>;
      readonly size?: number;
    }
  /** Files and folders: the image is built while it is written (no temporary image). */
  | {
      readonly kind: 'files';
      readonly root: FileTreeEntry & { readonly kind: 'dir' };
      readonly image?: FileImageOptions;
      /**
       * Add to the files already on the disc (multisession): a new session
       * holding the newest session's tree with `root` laid over it and the
       * `remove` paths taken out.
       */
      readonly append?: { readonly remove?: readonly string[] };
    };

/** Which part of a disc to read: everything readable (default), one session, or one track. */
export type DiscRange =
  | { readonly kind: 'disc' }
  | { readonly kind: 'session'; readonly session: number }
  | { readonly kind: 'track'; readonly track: number };

/** Sectors `start` .. `start + count - 1`. */
export interface SectorRange {
  readonly start: number;
  readonly count: number;
}

/** Saving a disc (or a session or track of it) as an image file. */
export interface SaveOptions {
  readonly range?: DiscRange;
  /**
   * Go on past unreadable sectors: each is zero-filled in the image and
   * recorded in the rescue map (GNU ddrescue's format). Default false: stop
   * at the first, keeping what was read (the map lets a later save resume).
   */
  readonly continuePastErrors?: boolean;
  /** Reads of an unreadable sector before it counts as bad (default 4), with growing pauses. */
  readonly retries?: number;
  /** Sectors per READ(10); default 512 (1 MiB). */
  readonly chunkSectors?: number;
  /**
   * For an image to be written as one session (a copy): a multisession
   * disc's newest volume descriptors stand at sector 16 in place of the
   * first session's, so the copy shows the newest files, not the first
   * session's. Every other sector is the disc's. Default false (the image is
   * the disc as it is).
   */
  readonly newestVolumeFirst?: boolean;
}

export interface SaveReport {
  readonly startLba: number;
  readonly sectors: number;
  readonly bytes: number;
  readonly durationMs: number;
  /** Sectors that could not be read, zero-filled in the image (empty unless continuePastErrors). */
  readonly badRanges: readonly SectorRange[];
  readonly badSectors: number;
  /** Of the whole image as saved (null when a resumed save could not re-read the earlier part). */
  readonly sha256: string | null;
  readonly md5: string | null;
  /** Sectors this run read (a resumed save skips what the map says is done). */
  readonly sectorsRead: number;
  readonly resumed: boolean;
  /**
   * With newestVolumeFirst on a multisession disc: the image's sectors that
   * hold the newest session's volume descriptors instead of the disc's (from
   * sector 16), and where that session starts.
   */
  readonly newestVolume?: { readonly sessionStart: number; readonly sectors: number };
}

/** A disc copied from one drive to another: what was read, and what was written. */
export interface CopyReport {
  readonly save: SaveReport;
  readonly burn: BurnReport;
}

/** An entry of a disc's (or an image's) file system, as listed without reading file data. */
export interface DiscFileEntry {
  readonly name: string;
  /** From the file system's root: "/photos/2024/beach.jpg". */
  readonly path: string;
  readonly kind: 'file' | 'dir' | 'symlink';
  readonly size: number;
  readonly mtime: number | null;
  /** A symbolic link's target, as recorded; never followed. */
  readonly target?: string;
}

/** Where files are read from: the disc in a drive, or a disc image (a File in the page). */
export type DiscFilesSource =
  | { readonly kind: 'disc'; readonly id: string }
  | { readonly kind: 'image'; readonly image: BlobLike };

/** A folder of a disc's (or an image's) file system. */
export interface DiscListing {
  readonly label: string;
  /** "ISO 9660 + Rock Ridge", "ISO 9660 + Joliet", "UDF", "ISO 9660". */
  readonly fileSystem: string;
  /** The folder listed, from the root ("/"). */
  readonly path: string;
  readonly entries: readonly DiscFileEntry[];
}

/**
 * A file the page picked (FileSystemFileHandle, from showSaveFilePicker or
 * the origin-private file system; it structured-clones into the worker), as
 * far as a save writes it.
 */
export interface WritableFileLike {
  createWritable(): Promise<{
    write(params: {
      type: 'write';
      position: number;
      data: Uint8Array<ArrayBuffer> | Uint8Array;
    }): Promise<void>;
    truncate(size: number): Promise<void>;
    close(): Promise<void>;
    abort(reason?: unknown): Promise<void>;
  }>;
}

/** A save to a file: the report, and the rescue map's text when sectors could not be read. */
export interface SavedImage extends SaveReport {
  /** GNU ddrescue's map format; null when every sector was read. */
  readonly map: string | null;
}

/** What a disc is verified against: an image file, or files and folders. */
export type VerifyAgainst =
  | { readonly kind: 'image'; readonly image: BlobLike }
  | { readonly kind: 'files'; readonly root: FileTreeEntry & { readonly kind: 'dir' } };

/** A disc compared with an image (sector by sector) or a folder (SHA-256 per file). */
export interface DiscVerifyReport {
  readonly against: 'image' | 'files';
  readonly same: boolean;
  /** Sectors compared (against an image). */
  readonly sectors: number;
  /** Files found identical (against a folder). */
  readonly files: number;
  /** The image's SHA-256 when the disc holds it. */
  readonly sha256: string | null;
  readonly firstDifferentLba: number | null;
  readonly firstDifferentPath: string | null;
  /** In words: "The disc differs from the image first at LBA 17." */
  readonly message: string;
}

export type RecorderEvent =
  | { readonly type: 'recorders'; readonly recorders: readonly RecorderSummary[] }
  | { readonly type: 'media'; readonly recorderId: string; readonly media: MediaState }
  | { readonly type: 'lock'; readonly recorderId: string; readonly lock: LockState }
  | { readonly type: 'tray'; readonly recorderId: string; readonly open: boolean }
  | { readonly type: 'eject-request'; readonly recorderId: string }
  | { readonly type: 'trace'; readonly entry: TraceEntry }
  | { readonly type: 'progress'; readonly recorderId: string; readonly progress: Progress };

export interface VirtualDriveState {
  readonly media: string;
  readonly mediaNames: readonly string[];
  readonly trayOpen: boolean;
  readonly prevent: boolean;
  readonly persistentPrevent: boolean;
  readonly mountedByOs: boolean;
  /** PREVENT transitions seen by the drive, oldest first. */
  readonly preventHistory: readonly boolean[];
}

export interface WebdiscWorkerApi {
  listRecorders(): Promise<Result<readonly RecorderSummary[]>>;
  /** After navigator.usb.requestDevice in the page: pick up newly granted devices. */
  refreshUsbDevices(): Promise<Result<readonly RecorderSummary[]>>;
  getInfo(id: string): Promise<Result<RecorderInfo>>;
  getMedia(id: string): Promise<Result<MediaState>>;

  // IMAPI2 IDiscRecorder2
  acquireExclusiveAccess(
    id: string,
    force: boolean,
    clientName: string,
  ): Promise<Result<LockState>>;
  releaseExclusiveAccess(id: string): Promise<Result<LockState>>;
  exclusiveAccessOwner(id: string): Promise<Result<string>>;
  getLockState(id: string): Promise<Result<LockState>>;
  ejectMedia(id: string): Promise<Result<void>>;
  closeTray(id: string): Promise<Result<void>>;
  disableMcn(id: string): Promise<Result<void>>;
  enableMcn(id: string): Promise<Result<void>>;
  /** Clears a drive's stale PREVENT when no live session owns it. */
  unlockTray(id: string): Promise<Result<void>>;
  // IDiscRecorder2Ex
  sendCommand(
    id: string,
    cdbHex: string,
    data: RawData,
    timeoutMs?: number,
  ): Promise<Result<RawResult>>;

  // IMAPI v1 IDiscRecorder facade
  openExclusive(id: string): Promise<Result<void>>;
  close(id: string): Promise<Result<void>>;
  queryMediaType(id: string): Promise<Result<MediaTypeV1>>;
  queryMediaInfo(id: string): Promise<Result<MediaInfoV1>>;
  eject(id: string): Promise<Result<void>>;
  erase(id: string, full: boolean): Promise<Result<void>>;

  // IMAPI2 IDiscFormat2Erase / IDiscFormat2Data: they take the lock themselves.
  eraseMedia(id: string, options: EraseOptions): Promise<OperationResult<EraseReport>>;
  burnImage(
    id: string,
    source: BurnSource,
    options: BurnOptions,
  ): Promise<OperationResult<BurnReport>>;
  /**
   * Plans an image of files and folders without reading their bytes: its
   * exact size (to check against the disc's free space before burning) and
   * every name a file system shows differently.
   */
  planFileImage(
    root: FileTreeEntry & { readonly kind: 'dir' },
    options?: FileImageOptions,
  ): Promise<Result<FileImagePlan>>;
  /**
   * Plans adding files to the disc in drive `id` (a new session, as burnImage
   * with `append` writes it) without writing: its size against the free space.
   */
  planFileSession(
    id: string,
    root: FileTreeEntry & { readonly kind: 'dir' },
    options: FileImageOptions,
    append: { readonly remove?: readonly string[] },
  ): Promise<Result<FileSessionPlan>>;
  /** Every entry of the newest data session of the disc in drive `id` (what planFileSession builds on). */
  walkSessionFiles(id: string): Promise<Result<readonly DiscFileEntry[]>>;
  /** Cancels the running erase or burn (it then fails with E_IMAPI_REQUEST_CANCELLED). */
  cancelOperation(id: string): Promise<Result<void>>;
  /** READ(10): `count` sectors from `lba`. */
  readSectors(id: string, lba: number, count: number): Promise<Result<Uint8Array>>;

  // Issue 17: from disc to files.
  /** A folder of the file system on a disc or an image ("/" is the root). */
  listDiscFiles(source: DiscFilesSource, path: string): Promise<Result<DiscListing>>;
  /** Every entry under `path`, folders before their contents (nothing read but folders). */
  walkDiscFiles(source: DiscFilesSource, path: string): Promise<Result<readonly DiscFileEntry[]>>;
  /**
   * Saves the disc as an image into `file` (written at offsets, truncated to
   * the image's size), with its SHA-256 and MD5; progress as 'reading'
   * events; cancelOperation stops it. On failure the file is left as it was
   * (nothing is written to it before the end), and what was read is kept
   * for resumeSaveToFile when there was any (the failure's `resumable`).
   */
  saveDiscToFile(
    id: string,
    file: WritableFileLike,
    options: SaveOptions,
  ): Promise<OperationResult<SavedImage>>;
  /**
   * Goes on with a save that failed part way (its failure's `resumable`):
   * only the sectors it lacks are read, into the same file, which is then
   * closed whole. The disc must be the same; `changes` may turn on
   * continuing past unreadable sectors.
   */
  resumeSaveToFile(
    id: string,
    token: string,
    changes: Pick<SaveOptions, 'continuePastErrors' | 'retries'>,
  ): Promise<OperationResult<SavedImage>>;
  /** Gives up a save that failed part way: its file is left as it was before the save. */
  discardSave(token: string): Promise<Result<void>>;
  /** The disc against an image (first differing LBA) or a folder (SHA-256 per file). */
  verifyDisc(id: string, against: VerifyAgainst): Promise<Result<DiscVerifyReport>>;
  /**
   * Copies the disc in `fromId` onto the (blank) disc in `toId` at once: read
   * into a bounded pipe, burned from it; either side's failure stops both.
   * Progress: 'reading' events for `fromId`, the burn's for `toId`.
   */
  copyDisc(
    fromId: string,
    toId: string,
    save: SaveOptions,
    burn: BurnOptions,
  ): Promise<OperationResult<CopyReport>>;

  // The virtual recorder's own controls (media picker, eject button).
  virtualInsertMedia(name: string): Promise<Result<VirtualDriveState>>;
  /**
   * A finished disc holding `image` from sector 0 ("Insert an image as a
   * disc"): pressed as a CD-ROM, DVD-ROM or BD to fit, or the medium `as`.
   */
  virtualInsertImage(image: BlobLike, as?: string): Promise<Result<VirtualDriveState>>;
  virtualPressEjectButton(): Promise<Result<VirtualDriveState>>;
  virtualState(): Promise<Result<VirtualDriveState>>;

  /** Events pushed to the page (wrap the listener with Comlink.proxy). */
  subscribe(listener: (event: RecorderEvent) => void): Promise<void>;
}
