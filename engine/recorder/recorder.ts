/**
 * One recorder as seen by one session: the drive's identity and media, and
 * IMAPI's exclusive-access contract (exclusive-access.md) rebuilt on PREVENT
 * ALLOW MEDIUM REMOVAL and RESERVE/RELEASE. Compound operations on a recorder
 * are serialised here; single commands are serialised again by the transport.
 *
 * This class puts the parts together and is what the service calls; each part
 * is one concern, sharing a RecorderContext: connection.ts (transport, SCSI,
 * trace), tray.ts (PREVENT counting, eject and load), exclusive-access.ts
 * (lock count, owner, lease, RESERVE), media-state.ts (info, media, MCN),
 * operations.ts (erase, burn, reads, raw commands), imapi-v1.ts (the v1 facade).
 */
import type { UsbDeviceLike } from '../../usb-mass-storage/src/usb.ts';
import type {
  BurnOptions,
  BurnProgress,
  BurnReport,
  EraseOptions,
  EraseReport,
  LockState,
  MediaInfoV1,
  MediaState,
  MediaTypeV1,
  Progress,
  RawData,
  RawResult,
  RecorderInfo,
  RecorderSummary,
  SaveOptions,
  SaveReport,
  DiscRange,
} from '../../contract/api.ts';
import { read10 } from '../../usb-mass-storage/src/scsi/sbc.ts';
import type { ImageSource } from '../recording/source.ts';
import { resolveRange, type ResolvedRange } from '../reading/disc-range.ts';
import { saveImage, type ImageSink, type SaveHooks } from '../reading/save-image.ts';
import { newestVolumeDescriptors } from '../reading/sessions.ts';
import { Connection } from './connection.ts';
import { RecorderContext, type RecorderOptions } from './context.ts';
import { ExclusiveAccess } from './exclusive-access.ts';
import { ImapiV1 } from './imapi-v1.ts';
import { MediaTracker } from './media-state.ts';
import { Operations } from './operations.ts';
import { Tray } from './tray.ts';

export type { OsDriverControl, RecorderOptions } from './context.ts';
export { V1_CLIENT_NAME } from './exclusive-access.ts';

export class Recorder {
  readonly summary: RecorderSummary;
  readonly device: UsbDeviceLike;
  readonly #ctx: RecorderContext;
  readonly #conn: Connection;
  readonly #media: MediaTracker;
  readonly #tray: Tray;
  readonly #access: ExclusiveAccess;
  readonly #operations: Operations;
  readonly #v1: ImapiV1;
  readonly #unsubscribe: () => void;

  constructor(options: RecorderOptions) {
    this.summary = options.summary;
    this.device = options.device;
    // The parts, each handed only the ones it works through. The connection's
    // hooks reach parts made after it; they run only once commands flow.
    const ctx = new RecorderContext(options);
    const conn = new Connection(ctx, {
      reassert: (again) => this.#access.reassert(again),
      unitAttention: () => this.#media.changed(),
      gone: () => this.#onGone(),
      holdsDrive: () => this.#access.holdsDrive,
    });
    const media = new MediaTracker(ctx, conn);
    const tray = new Tray(ctx, conn, media);
    const access = new ExclusiveAccess(ctx, conn, tray);
    const operations = new Operations(ctx, { conn, access, tray, media });
    this.#ctx = ctx;
    this.#conn = conn;
    this.#media = media;
    this.#tray = tray;
    this.#access = access;
    this.#operations = operations;
    this.#v1 = new ImapiV1(ctx, { access, media, tray, operations });
    this.#unsubscribe = options.coordinator.subscribe((id, topic, origin) => {
      if (id !== this.summary.id) return;
      // Our own announcements tell us nothing new.
      if (origin === options.sessionId) return;
      void this.#onOtherSession(topic);
    });
    media.scheduleMcn();
  }

  get id(): string {
    return this.summary.id;
  }

  get lockCount(): number {
    return this.#access.count;
  }

  get trayHolds(): number {
    return this.#tray.holds;
  }

  // ---------------------------------------------------------------- plumbing

  /** The platform's disconnect event, or a transfer that found the device gone. */
  markGone(): void {
    this.#conn.markDisconnected();
    this.#onGone();
  }

  #onGone(): void {
    if (this.#ctx.gone) return;
    this.#ctx.gone = true;
    this.#media.stopMcn();
    this.#access.drop();
  }

  async #onOtherSession(topic: 'lock' | 'media'): Promise<void> {
    if (this.#ctx.gone) return;
    if (topic === 'media') await this.#media.onOtherSession();
    else await this.#access.onOtherSession();
  }

  dispose(): void {
    this.#media.stopMcn();
    this.#unsubscribe();
  }

  // ------------------------------------------------------- exclusive access

  /**
   * The lock as this session sees it. A drive left locked by a session that
   * died (no live owner, PREVENT still on: `stale`) is cleared here, by the
   * next session to look, as the exclusive-access contract says ("Crashes
   * and stale locks"); "unlock tray" stays as the manual way. Unknown
   * (the drive cannot say) is left alone: the next acquire clears it.
   */
  async lockState(): Promise<LockState> {
    const state = await this.#access.lockState(true);
    if (state.stale !== true) return state;
    await this.#access.clearStale().catch(() => undefined);
    return this.#access.lockState(true);
  }

  owner(): Promise<string> {
    return this.#access.owner();
  }

  /** IDiscRecorder2::AcquireExclusiveAccess. */
  acquire(force: boolean, clientName: string): Promise<LockState> {
    return this.#access.acquire(force, clientName);
  }

  /** IDiscRecorder2::ReleaseExclusiveAccess. */
  release(): Promise<LockState> {
    return this.#access.release();
  }

  // ------------------------------------------------------------- tray, MCN

  /** IDiscRecorder2::EjectMedia. */
  ejectMedia(): Promise<void> {
    return this.#tray.eject();
  }

  /** IDiscRecorder2::CloseTray. */
  closeTray(): Promise<void> {
    return this.#tray.close();
  }

  /** Clears PREVENT left behind by a session that died. */
  unlockTray(): Promise<void> {
    return this.#access.unlockTray();
  }

  enableMcn(): void {
    this.#media.enableMcn();
  }

  disableMcn(): void {
    this.#media.disableMcn();
  }

  /** One GESN poll (media class). */
  pollEvents(): Promise<void> {
    return this.#media.pollEvents();
  }

  // ----------------------------------------------------------- info, media

  info(): Promise<RecorderInfo> {
    return this.#media.info();
  }

  media(): Promise<MediaState> {
    return this.#media.media();
  }

  // ------------------------------------------------ operations, raw commands

  sendCommand(cdb: Uint8Array, data: RawData, timeoutMs?: number): Promise<RawResult> {
    return this.#operations.sendCommand(cdb, data, timeoutMs);
  }

  /** True while an erase or a burn runs on this recorder in this session. */
  get operationRunning(): boolean {
    return this.#operations.running;
  }

  eraseMedia(options: EraseOptions, onProgress?: (p: Progress) => void): Promise<EraseReport> {
    return this.#operations.eraseMedia(options, onProgress);
  }

  burn(
    source: ImageSource,
    options: BurnOptions,
    onProgress?: (p: BurnProgress) => void,
  ): Promise<BurnReport> {
    return this.#operations.burn(source, options, onProgress);
  }

  cancelOperation(): void {
    this.#operations.cancel();
  }

  readSectors(lba: number, count: number): Promise<Uint8Array> {
    return this.#operations.readSectors(lba, count);
  }

  /** The sectors a save of `range` reads (the disc's own layout; see disc-range.ts). */
  async resolveSaveRange(range: DiscRange = { kind: 'disc' }): Promise<ResolvedRange> {
    return resolveRange(await this.media(), range, (lba, n) => this.readSectors(lba, n));
  }

  /** Saves the disc (or a session or track of it) to `sink`; cancelled by cancelOperation(). */
  saveImage(
    options: SaveOptions,
    sink: ImageSink,
    hooks: SaveHooks = {},
    onProgress?: (p: Progress) => void,
  ): Promise<SaveReport> {
    return this.#operations.onDriveForReading(async (work) => {
      const read = async (lba: number, n: number) =>
        (await work.drive.run(read10({ lba, blocks: n }), { signal: work.signal })).data;
      const media = await work.media();
      const range = await resolveRange(media, options.range ?? { kind: 'disc' }, read);
      // A copy of a multisession disc (written as one session): the newest volume at sector 16.
      const newest =
        options.newestVolumeFirst && range.start === 0
          ? await newestVolumeDescriptors(media, read)
          : null;
      const report = await saveImage(
        { drive: work.drive, signal: work.signal, progress: (p) => onProgress?.(p) },
        range,
        sink,
        options,
        newest ? { ...hooks, overlay: { start: 16, bytes: newest.bytes } } : hooks,
      );
      return newest
        ? {
            ...report,
            newestVolume: { sessionStart: newest.session, sectors: newest.bytes.length / 2048 },
          }
        : report;
    });
  }

  // ------------------------------------------------------- IMAPI v1 facade

  openExclusive(): Promise<void> {
    return this.#v1.openExclusive();
  }

  close(): Promise<void> {
    return this.#v1.close();
  }

  queryMediaType(): Promise<MediaTypeV1> {
    return this.#v1.queryMediaType();
  }

  queryMediaInfo(): Promise<MediaInfoV1> {
    return this.#v1.queryMediaInfo();
  }

  ejectV1(): Promise<void> {
    return this.#v1.eject();
  }

  erase(full: boolean, onProgress?: (fraction: number) => void): Promise<void> {
    return this.#v1.erase(full, onProgress);
  }
}
