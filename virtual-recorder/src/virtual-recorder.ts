/**
 * `createVirtualRecorder()`: the simulated USB optical drive as one object.
 * `.device` is what a host opens (a WebUSB-shaped USBDevice); the rest is the
 * outside world of the drive: a user pressing the eject button or swapping
 * discs, the OS mounting it, a cable being pulled, and the test that wants to
 * break it on purpose (`.faults`) and see what happened (`.log`, `.state`).
 */
import { createClock, type ClockOption, type VirtualClock } from './clock.ts';
import type { BotBehaviour } from './device/bot-context.ts';
import type { DeviceIdentity } from './device/descriptors.ts';
import { DEFAULT_MAX_TRANSFER_BYTES, VirtualUsbDevice } from './device/virtual-usb-device.ts';
import { Disc, type DiscSnapshot, type Formatted } from './disc.ts';
import { DEFAULT_BUFFER_BYTES } from './mmc-target/buffer-model.ts';
import type { EjectButtonResult, EjectRequestPolicy } from './mmc-target/mechanics.ts';
import { MmcTarget } from './mmc-target/mmc-target.ts';
import { VirtualRecorderError } from './errors.ts';
import { FaultState, VirtualFaults } from './faults.ts';
import { MEDIA, mediaInfo, type MediaInfo, type MediaName } from './media.ts';
import {
  Observer,
  type CommandLogEntry,
  type PreventTransition,
  type RecorderCounters,
  type RecorderListener,
  type SenseTriple,
} from './observer.ts';
import { VIRTUAL_RECORDER_NAME } from '../../contract/virtual.ts';
import { PERSONALITIES, type PersonalityName } from './personalities.ts';
import type { Identity } from './responses/inquiry.ts';
import {
  SECTOR_SIZE,
  createMemoryStore,
  type SectorStore,
  type SectorStoreFactory,
} from './store.ts';
import { DRIVE_STATE_VERSION, type DriveState } from './drive-state.ts';
import { pressedStore } from './mmc-target/mechanics.ts';

/** The name users see for the simulated drive (UI device list, CLI `--virtual`): the contract's. */
export { VIRTUAL_RECORDER_NAME };

/** pid.codes' test vendor and product id: not a real product, so no real drive filter matches. */
export const VIRTUAL_VENDOR_ID = 0x1209;
export const VIRTUAL_PRODUCT_ID = 0x0001;

export interface VirtualRecorderOptions {
  /** The disc in the drive at power-on. Default 'none' (empty tray). */
  readonly media?: MediaName;
  /**
   * DVD+RW / BD-RE: start formatted (default false: blank, as from the box).
   * `'partial'`: a DVD+RW whose background format was stopped a quarter of
   * the way and closed (READ DISC INFORMATION BG format status 01b).
   */
  readonly formatted?: Formatted;
  /** RESERVE(6)/RELEASE(6) supported (default true), or answered 5/20/00 as many drives do. */
  readonly reserveSupported?: boolean;
  /** PREVENT ALLOW MEDIUM REMOVAL with Persistent=1 accepted (default true), or 5/24/00. */
  readonly persistentPreventSupported?: boolean;
  /** Which lock turns the eject button into a GESN eject request (default 'any-prevent'). */
  readonly ejectRequestOn?: EjectRequestPolicy;
  /** Time model (clock.ts). Default 'off': everything is instant. */
  readonly clock?: ClockOption;
  /** USB iSerialNumber, INQUIRY VPD 80h and feature 0108h. */
  readonly serial?: string;
  readonly vendorId?: number;
  readonly productId?: number;
  readonly manufacturerName?: string;
  readonly productName?: string;
  /** INQUIRY identification: vendor (8), product (16), revision (4) ASCII. */
  readonly inquiry?: {
    readonly vendor?: string;
    readonly product?: string;
    readonly revision?: string;
  };
  /** Get Max LUN: 'zero' (default) or 'stall' like some devices. */
  readonly maxLun?: BotBehaviour['maxLun'];
  /** BOT case 4/5 (default 'stall'). 'pad' sends zeros up to the host's length. */
  readonly shortDataIn?: BotBehaviour['shortDataIn'];
  /** BOT case 9/11 (default 'discard'). */
  readonly excessDataOut?: BotBehaviour['excessDataOut'];
  /** BOT case 7 (default 'phase-error'). */
  readonly truncatedDataIn?: BotBehaviour['truncatedDataIn'];
  readonly maxTransferBytes?: number;
  /**
   * A Bulk-Only Mass Storage Reset cancels the host's pending bulk transfers
   * (default false: as on a real host, they stay queued and take the next
   * command's data; only a port reset or close cancels them).
   */
  readonly classResetCancelsTransfers?: boolean;
  /**
   * Class requests to the interface (Bulk-Only reset, Get Max LUN) fail with
   * SecurityError, as Chrome (2026) refuses them to ordinary pages (default false).
   */
  readonly protectedControlTransfers?: boolean;
  /**
   * Drive time the first WRITE on a disc holds its status (optimum power
   * calibration); default 0. The slow-drive personality: 45 s, past
   * libburn's 30 s default timeout, within its 200 s WRITE budget.
   */
  readonly powerCalibrationMs?: number;
  /** Long operations (close, finalize, blank, format) take this many times their nominal time (default 1). */
  readonly operationScale?: number;
  /** An IMMED BLANK/CLOSE/FORMAT/SYNCHRONIZE CACHE holds its status up to this long first (default 0). */
  readonly immedHoldMs?: number;
  /**
   * The drive never writes faster than this (kB/s), whatever SET CD SPEED or
   * SET STREAMING asked: it picks its own speed for the medium, and only page
   * 2Ah (bytes 28-29) and GET PERFORMANCE say which. Default: no cap.
   */
  readonly writeSpeedCap?: number;
  /**
   * SET CD SPEED sets the write speed with a DVD or BD loaded too (default
   * true); false: it is taken and changes nothing, SET STREAMING does.
   */
  readonly cdSpeedForDvdBd?: boolean;
  /**
   * DVD+R DL: CLOSE TRACK/SESSION 110b (finalize) is 5/24/00, only 101b
   * (finalize with minimal radius) is taken: growisofs `plus_r_finalize`
   * ("HP dvd520n insists on "finalize with minimum radius" with DVD+R DL").
   * Default true.
   */
  readonly dlFinalizeMinimalRadiusOnly?: boolean;
  /**
   * BD-RE certification the drive offers (feature 0023h CERT and QCERT, MMC-6
   * §5.3.13); FORMAT UNIT 30h/31h with a subtype it does not offer (10b full,
   * 11b quick) is 5/26/00. Default both.
   */
  readonly certification?: { readonly full?: boolean; readonly quick?: boolean };
  /**
   * SEND CUE SHEET takes a track pre-gap the drive generates (data form
   * 14h). Default true; false refuses it (5/26/00): the host must send the
   * first track's pre-gap from LBA -150, as libburn and cdrecord do.
   */
  readonly saoGeneratesPregap?: boolean;
  /**
   * READ TRACK INFORMATION reports no next writable address (NWA_V 0) on CD
   * and DVD-R/-RW until page 05h has been selected since the disc was
   * loaded: libburn sends the write parameters first because the LG
   * GSA-4082B "seems to dislike get_nwa() in advance" (write.c). Default false.
   */
  readonly nwaNeedsWriteParameters?: boolean;
  /**
   * A DVD-RW keeps feature 0021h (incremental writing) after BLANK 001b
   * (default false: like the drives of libburn's cookbook, it can then be
   * written only disc-at-once until a full blank).
   */
  readonly minimalBlankKeepsIncremental?: boolean;
  /** A Bulk-Only Mass Storage Reset clears PREVENT (default true, like the Linux gadget). */
  readonly resetClearsPrevent?: boolean;
  /** A Bulk-Only Mass Storage Reset raises 6/29/00 (default true). */
  readonly resetUnitAttention?: boolean;
  /** The first command after power-on sees 6/29/00 (default true). */
  readonly powerOnUnitAttention?: boolean;
  /** The OS has the disc mounted at start (default false). */
  readonly mountedByOs?: boolean;
  /** While mounted, claimInterface() fails with NetworkError as with a bound kernel driver (default false). */
  readonly mountedBlocksClaim?: boolean;
  /** Drive write buffer (default 4 MiB). */
  readonly bufferBytes?: number;
  /** Store for written sectors (default: sparse memory). An OPFS store comes from the worker. */
  readonly storeFactory?: SectorStoreFactory;
  /** Command log entries kept (default 10,000). */
  readonly logLimit?: number;
  /** Opcodes this drive lacks: answered 5/20/00 (default none). */
  readonly unsupportedCommands?: readonly number[];
  /** Mode pages MODE SENSE refuses with 5/24/00 (default none). */
  readonly unsupportedModePages?: readonly number[];
  /** Start from a named personality (personalities.ts); the other options override it. */
  readonly personality?: PersonalityName;
}

export interface VirtualRecorderState {
  readonly connected: boolean;
  readonly opened: boolean;
  readonly claimed: boolean;
  readonly trayOpen: boolean;
  readonly prevent: boolean;
  readonly persistentPrevent: boolean;
  readonly reserved: boolean;
  /** The disc in the drive (or on the open tray); 'none' when there is none. */
  readonly mediaName: MediaName;
  /** A disc is in and the tray closed. */
  readonly mediaPresent: boolean;
  /** The disc is spun up: medium commands will run. */
  readonly ready: boolean;
  /** Sense of the last CHECK CONDITION the drive reported. */
  readonly lastSense: SenseTriple | undefined;
  readonly mountedByOs: boolean;
  readonly writeProtected: boolean;
  readonly disc: DiscSnapshot | undefined;
  readonly bufferBytes: number;
  readonly bufferFill: number;
  /** Write speed in kB/s on the current medium (0 when it cannot be written). */
  readonly writeSpeed: number;
  /** 0..1 while an IMMED BLANK/FORMAT/CLOSE/SYNC runs. */
  readonly operationProgress: number | undefined;
  readonly pendingUnitAttentions: readonly SenseTriple[];
  /** GESN media event codes not yet reported (1 eject request, 2 new media, 3 removal). */
  readonly pendingMediaEvents: readonly number[];
}

/** Image data: bytes, or chunks (any sizes) as an iterable or async iterable. */
export type ImageSource =
  Uint8Array | ArrayBuffer | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface InsertImageOptions {
  /** The medium to press/burn it on. Default: the smallest pressed/finalized medium it fits. */
  readonly as?: MediaName;
  /** Recordable media: finalized (default true) or left appendable after one closed session. */
  readonly finalize?: boolean;
}

function ascii(name: string, value: string, max: number, min = 0): string {
  if (value.length < min || value.length > max || !/^[\x20-\x7e]*$/.test(value)) {
    throw new VirtualRecorderError(
      'invalid-option',
      `${name} must be ${min}..${max} printable ASCII characters, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new VirtualRecorderError(
      'invalid-option',
      `${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new VirtualRecorderError('invalid-option', `${name} must be a number >= 0, got ${value}`);
  }
  return value;
}

function positiveNumber(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new VirtualRecorderError('invalid-option', `${name} must be a number > 0, got ${value}`);
  }
  return value;
}

function personality(name: PersonalityName): VirtualRecorderOptions {
  const p: VirtualRecorderOptions | undefined = PERSONALITIES[name];
  if (!p) {
    throw new VirtualRecorderError('invalid-option', `personality: no personality "${name}"`);
  }
  return p;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) {
    throw new VirtualRecorderError(
      'invalid-option',
      `${name} must be one of ${allowed.join(', ')}`,
    );
  }
  return value;
}

/** Largest pressed capacity per family (a dual-layer DVD-ROM holds as much as a DVD+R DL). */
const PRESSED_MAX = { cd: MEDIA['cd-r'].capacity, dvd: MEDIA['dvd+r-dl'].capacity } as const;

export class VirtualRecorder {
  readonly name = VIRTUAL_RECORDER_NAME;
  readonly faults: VirtualFaults;
  readonly clock: VirtualClock;
  readonly #observer: Observer;
  readonly #faultState = new FaultState();
  readonly #target: MmcTarget;
  readonly #identity: DeviceIdentity;
  readonly #bot: BotBehaviour;
  readonly #storeFactory: SectorStoreFactory;
  readonly #mountedBlocksClaim: boolean;
  #mountedByOs: boolean;
  #device: VirtualUsbDevice;

  constructor(given: VirtualRecorderOptions = {}) {
    const options: VirtualRecorderOptions = given.personality
      ? { ...personality(given.personality), ...given }
      : given;
    const serial = ascii('serial', options.serial ?? 'WDVR00000001', 32, 1);
    const inquiry: Identity = {
      vendor: ascii('inquiry.vendor', options.inquiry?.vendor ?? 'WEBDISC', 8),
      product: ascii('inquiry.product', options.inquiry?.product ?? VIRTUAL_RECORDER_NAME, 16),
      revision: ascii('inquiry.revision', options.inquiry?.revision ?? '1.00', 4),
      serial,
    };
    this.#identity = {
      vendorId: options.vendorId ?? VIRTUAL_VENDOR_ID,
      productId: options.productId ?? VIRTUAL_PRODUCT_ID,
      manufacturerName: options.manufacturerName ?? 'webdisc',
      productName: options.productName ?? VIRTUAL_RECORDER_NAME,
      serialNumber: serial,
    };
    this.#bot = {
      shortDataIn: oneOf('shortDataIn', options.shortDataIn ?? 'stall', [
        'stall',
        'pad',
        'pad-zero-residue',
      ]),
      excessDataOut: oneOf('excessDataOut', options.excessDataOut ?? 'discard', [
        'discard',
        'stall',
      ]),
      truncatedDataIn: oneOf('truncatedDataIn', options.truncatedDataIn ?? 'phase-error', [
        'phase-error',
        'truncate',
      ]),
      maxLun: oneOf('maxLun', options.maxLun ?? 'zero', ['zero', 'stall']),
      classResetCancelsTransfers: options.classResetCancelsTransfers ?? false,
      protectedControlTransfers: options.protectedControlTransfers ?? false,
      maxTransferBytes: positiveInteger(
        'maxTransferBytes',
        options.maxTransferBytes ?? DEFAULT_MAX_TRANSFER_BYTES,
      ),
    };
    this.clock = createClock(options.clock ?? 'off');
    this.#observer = new Observer(positiveInteger('logLimit', options.logLimit ?? 10_000));
    this.#storeFactory = options.storeFactory ?? createMemoryStore;
    this.#mountedByOs = options.mountedByOs ?? false;
    this.#mountedBlocksClaim = options.mountedBlocksClaim ?? false;
    this.#target = new MmcTarget({
      clock: this.clock,
      faults: this.#faultState,
      observer: this.#observer,
      identity: inquiry,
      reserveSupported: options.reserveSupported ?? true,
      persistentPreventSupported: options.persistentPreventSupported ?? true,
      unsupportedCommands: [...(options.unsupportedCommands ?? [])],
      unsupportedModePages: [...(options.unsupportedModePages ?? [])],
      ejectRequestOn: oneOf('ejectRequestOn', options.ejectRequestOn ?? 'any-prevent', [
        'any-prevent',
        'persistent-only',
      ]),
      resetClearsPrevent: options.resetClearsPrevent ?? true,
      minimalBlankKeepsIncremental: options.minimalBlankKeepsIncremental ?? false,
      saoGeneratesPregap: options.saoGeneratesPregap ?? true,
      certification: {
        full: options.certification?.full ?? true,
        quick: options.certification?.quick ?? true,
      },
      nwaNeedsWriteParameters: options.nwaNeedsWriteParameters ?? false,
      resetUnitAttention: options.resetUnitAttention ?? true,
      powerOnUnitAttention: options.powerOnUnitAttention ?? true,
      bufferBytes: positiveInteger('bufferBytes', options.bufferBytes ?? DEFAULT_BUFFER_BYTES),
      speed: {
        writeSpeedCap:
          options.writeSpeedCap === undefined
            ? undefined
            : positiveInteger('writeSpeedCap', options.writeSpeedCap),
        cdSpeedForDvdBd: options.cdSpeedForDvdBd ?? true,
      },
      dlFinalizeMinimalRadiusOnly: options.dlFinalizeMinimalRadiusOnly ?? true,
      powerCalibrationMs: nonNegative('powerCalibrationMs', options.powerCalibrationMs ?? 0),
      slowness: {
        operationScale: positiveNumber('operationScale', options.operationScale ?? 1),
        immedHoldMs: nonNegative('immedHoldMs', options.immedHoldMs ?? 0),
      },
      storeFactory: this.#storeFactory,
    });
    const media = mediaInfo(options.media ?? 'none');
    if (media.kind !== 'none') {
      this.#target.changeMedia(
        media.name,
        options.formatted ? { formatted: options.formatted } : {},
      );
      // A disc present at power-on is not a media change: only the power-on attention is pending.
      this.#target.clearMediaChangeNotice();
    }
    this.faults = new VirtualFaults(this.#faultState, (name) => this.changeMedia(name));
    this.#device = this.#newDevice();
  }

  #newDevice(): VirtualUsbDevice {
    return new VirtualUsbDevice({
      identity: this.#identity,
      bot: this.#bot,
      target: this.#target,
      faults: this.#faultState,
      observer: this.#observer,
      clock: this.clock,
      claimBlocked: () => this.#mountedBlocksClaim && this.#mountedByOs,
      onUnplug: (device) => device.unplug(),
    });
  }

  /** The USB device a host opens. After `reconnect()` this is a new object, as with WebUSB. */
  get device(): VirtualUsbDevice {
    return this.#device;
  }

  get state(): VirtualRecorderState {
    const d = this.#target;
    const disc = d.disc;
    const iface = this.#device.configuration?.interfaces[0];
    return {
      connected: !this.#device.disconnected,
      opened: this.#device.opened,
      claimed: iface?.claimed ?? false,
      trayOpen: d.trayOpen,
      prevent: d.prevent,
      persistentPrevent: d.persistentPrevent,
      reserved: d.reserved,
      mediaName: disc?.media.name ?? 'none',
      mediaPresent: disc !== undefined && !d.trayOpen,
      ready: d.ready,
      lastSense: d.lastSense,
      mountedByOs: this.#mountedByOs,
      writeProtected: d.writeProtected,
      disc: disc?.snapshot(),
      bufferBytes: d.bufferBytes,
      bufferFill: Math.round(d.bufferFill),
      writeSpeed: d.writeSpeed,
      operationProgress: d.operationProgress,
      pendingUnitAttentions: d.pendingUnitAttentions.map((s) => ({ ...s })),
      pendingMediaEvents: d.pendingMediaEvents,
    };
  }

  /** The command log, oldest first (one entry per command, written when its CSW is made). */
  get log(): readonly CommandLogEntry[] {
    return this.#observer.log;
  }

  get counters(): Readonly<RecorderCounters> {
    return this.#observer.counters;
  }

  /** Every change of the Prevent / Persistent Prevent states, with its cause. */
  get preventHistory(): readonly PreventTransition[] {
    return this.#observer.preventHistory;
  }

  /** Empties the log, the counters and the PREVENT history. */
  clearLog(): void {
    this.#observer.clearLog();
  }

  /** Calls `listener` for every event (commands, resets, tray, media, PREVENT); returns an unsubscribe. */
  subscribe(listener: RecorderListener): () => void {
    return this.#observer.subscribe(listener);
  }

  // ---- the OS ---------------------------------------------------------------------------

  /**
   * "Mounted by the OS": IMAPI's force flag is about this. A host with
   * `force = false` must refuse the drive while it is true; with `force = true`
   * it calls `dismount()` and `mount()` again on its last release. With
   * `mountedBlocksClaim` the device also refuses claimInterface() meanwhile,
   * as a bound kernel driver would.
   */
  get mountedByOs(): boolean {
    return this.#mountedByOs;
  }
  set mountedByOs(mounted: boolean) {
    if (mounted === this.#mountedByOs) return;
    this.#mountedByOs = mounted;
    this.#observer.emit({ type: 'mount', mounted });
  }
  dismount(): void {
    this.mountedByOs = false;
  }
  mount(): void {
    this.mountedByOs = true;
  }

  // ---- the user -------------------------------------------------------------------------

  /** The drive's front button: opens, closes, or (locked) is refused / becomes an eject request. */
  pressEjectButton(): EjectButtonResult {
    return this.#target.pressEjectButton();
  }

  /**
   * Puts a different disc in the drive right now and closes the tray, even
   * when PREVENT is set (a media change "at any moment"): the next command
   * sees 6/28/00 once the disc has spun up, and GESN reports new media.
   */
  changeMedia(name: MediaName, options: { formatted?: Formatted } = {}): void {
    this.#target.changeMedia(name, options);
  }

  /** Takes the disc out (the tray ends closed and empty). */
  removeMedia(): void {
    this.#target.changeMedia('none');
  }

  get writeProtected(): boolean {
    return this.#target.writeProtected;
  }
  /** A write-protect switch: writes, BLANK, FORMAT, RESERVE/CLOSE get 7/27/00 while on. */
  set writeProtected(on: boolean) {
    this.#target.writeProtected = on;
  }

  /**
   * Inserts a complete disc holding `image` from LBA 0 (padded to 2048
   * bytes): pressed (cd-rom, dvd-rom), a finalized (or appendable) recordable
   * disc, or a formatted DVD+RW/BD-RE. Streams chunked sources into the store.
   */
  async insertImage(image: ImageSource, options: InsertImageOptions = {}): Promise<void> {
    const store = this.#storeFactory();
    let carry = new Uint8Array(0);
    let blocks = 0;
    const limit = options.as ? this.#imageLimit(mediaInfo(options.as)) : MEDIA['bd-r'].capacity;
    const put = async (chunk: Uint8Array) => {
      let bytes = chunk;
      if (carry.length > 0) {
        bytes = new Uint8Array(carry.length + chunk.length);
        bytes.set(carry);
        bytes.set(chunk, carry.length);
      }
      const whole = Math.floor(bytes.length / SECTOR_SIZE) * SECTOR_SIZE;
      if (blocks + whole / SECTOR_SIZE > limit) throw this.#tooLarge(options.as);
      if (whole > 0) await store.write(blocks, bytes.subarray(0, whole));
      blocks += whole / SECTOR_SIZE;
      carry = bytes.slice(whole);
    };
    if (image instanceof ArrayBuffer) await put(new Uint8Array(image));
    else if (image instanceof Uint8Array) await put(image);
    else if (Symbol.asyncIterator in image) for await (const c of image) await put(c);
    else for (const c of image) await put(c);
    if (carry.length > 0) {
      const last = new Uint8Array(SECTOR_SIZE);
      last.set(carry);
      if (blocks + 1 > limit) throw this.#tooLarge(options.as);
      await store.write(blocks, last);
      blocks++;
    }
    if (blocks === 0) {
      throw new VirtualRecorderError('invalid-option', 'an image needs at least one byte');
    }
    const media = options.as ? mediaInfo(options.as) : this.#mediaFor(blocks);
    const disc = Disc.recorded(media, store, blocks, { finalize: options.finalize ?? true });
    this.#target.loadDisc(disc);
  }

  #imageLimit(media: MediaInfo): number {
    if (media.kind === 'none') {
      throw new VirtualRecorderError('invalid-option', 'an image cannot be inserted as "none"');
    }
    if (media.kind === 'rom') return PRESSED_MAX[media.family === 'cd' ? 'cd' : 'dvd'];
    return media.capacity;
  }

  #mediaFor(blocks: number): MediaInfo {
    if (blocks <= PRESSED_MAX.cd) return MEDIA['cd-rom'];
    if (blocks <= PRESSED_MAX.dvd) return MEDIA['dvd-rom'];
    return MEDIA['bd-r'];
  }

  #tooLarge(as: MediaName | undefined): VirtualRecorderError {
    return new VirtualRecorderError(
      'image-too-large',
      `the image does not fit on ${as ?? 'any supported medium'}`,
    );
  }

  /**
   * The disc's user data from LBA 0 to the last recorded block, streamed in
   * chunks of `chunkBlocks` sectors (unwritten sectors read as zeros).
   */
  async *exportImage(options: { chunkBlocks?: number } = {}): AsyncGenerator<Uint8Array> {
    const disc = this.#target.disc;
    if (!disc)
      throw new VirtualRecorderError('no-medium', 'there is no disc in the virtual recorder');
    const chunk = positiveInteger('chunkBlocks', options.chunkBlocks ?? 512);
    const end = disc.readableEnd;
    for (let lba = 0; lba < end; lba += chunk) {
      yield await disc.store.read(lba, Math.min(chunk, end - lba));
    }
  }

  /** `exportImage()` as one buffer, for small discs. */
  async readImage(): Promise<Uint8Array> {
    const disc = this.#target.disc;
    if (!disc)
      throw new VirtualRecorderError('no-medium', 'there is no disc in the virtual recorder');
    return disc.store.read(0, disc.readableEnd);
  }

  // ---- power off and on (drive-state.ts) -------------------------------------------------

  /**
   * What the drive keeps across a power-off: the disc's recorded state (its
   * sectors stay in `discStore`) and the tray. PREVENT, sense and the
   * buffer are not kept: a drive powered on again starts without them.
   */
  saveState(): DriveState {
    const disc = this.#target.disc;
    return {
      version: DRIVE_STATE_VERSION,
      trayOpen: this.#target.trayOpen,
      disc: disc ? disc.toState(this.clock.now()) : null,
    };
  }

  /** The store holding the sectors of the disc in the drive (undefined with no disc). */
  get discStore(): SectorStore | undefined {
    return this.#target.disc?.store;
  }

  /**
   * The drive as if powered on with `state`'s disc in it (no media change
   * is reported; the power-on attention is). `store` holds the disc's
   * sectors (default: a new one from `storeFactory`); a pressed disc's
   * generated volume needs none. Check untrusted data with `parseDriveState`.
   */
  restoreState(state: DriveState, store?: SectorStore): void {
    const s = state.disc;
    let disc: Disc | undefined;
    if (s) {
      const media = mediaInfo(s.media);
      const sectors = s.generated ? pressedStore(media) : (store ?? this.#storeFactory());
      disc = Disc.fromState(s, sectors, this.clock.now());
    }
    this.#target.powerOnWith(disc, state.trayOpen);
  }

  // ---- the cable ------------------------------------------------------------------------

  /** Pulls the cable: every pending and later call on `device` rejects with NotFoundError. */
  disconnect(): void {
    this.#device.unplug();
  }

  /**
   * Plugs the drive back in: a new device object (the old one stays dead), a
   * power cycle for the drive (6/29/00, PREVENT cleared); the disc stays in.
   */
  reconnect(): VirtualUsbDevice {
    this.#device.unplug();
    this.#target.portReset();
    this.#device = this.#newDevice();
    this.#observer.emit({ type: 'connect' });
    return this.#device;
  }
}

export function createVirtualRecorder(options: VirtualRecorderOptions = {}): VirtualRecorder {
  return new VirtualRecorder(options);
}
