/**
 * The recorder service: discovery, one Recorder per drive, events to
 * subscribers, and every result as a value. The same module runs in the
 * dedicated worker (worker/main.ts, exposed with Comlink) and in Node (the
 * CLI); what differs is passed in: where devices come from, the
 * cross-session lock record, and the virtual drive's controls.
 */
import { WebdiscError, toErrorValue } from '../usb-mass-storage/src/errors.ts';
import { copyOnTheFly } from './reading/copy.ts';
import { appendSession, planAppend, type AppendPlan } from './recording/append.ts';
import { newestFilesStart } from './reading/sessions.ts';
import { hresultName } from '../contract/hresult.ts';
import { fromHex } from '../usb-mass-storage/src/struct.ts';
import type { UsbDeviceLike } from '../usb-mass-storage/src/usb.ts';
import type {
  BlobLike,
  BurnOptions,
  BurnReport,
  BurnSource,
  CopyReport,
  DiscFileEntry,
  DiscFilesSource,
  DiscListing,
  DiscVerifyReport,
  EraseOptions,
  EraseReport,
  FileImageOptions,
  FileImagePlan,
  FileSessionPlan,
  FileTreeEntry,
  LockState,
  OperationFailure,
  OperationResult,
  MediaInfoV1,
  MediaState,
  MediaTypeV1,
  RawData,
  RawResult,
  RecorderEvent,
  RecorderInfo,
  RecorderSummary,
  Result,
  SaveOptions,
  SaveReport,
  SavedImage,
  VerifyAgainst,
  VirtualDriveState,
  WebdiscWorkerApi,
  WritableFileLike,
} from '../contract/api.ts';
import type { LockCoordinator } from './coordinator.ts';
import { Recorder, type OsDriverControl } from './recorder/recorder.ts';
import { OperationError } from './recording/burn.ts';
import { blobSource, bytesSource, streamSource, type ImageSource } from './recording/source.ts';
import {
  checkDiscFor,
  checkFiles,
  planFiles,
  planSource,
  summarize,
  treeOf,
} from './recording/file-image.ts';
import type { DirEntry, ImagePlan } from '../disc-fs/src/index.ts';
import { UnreadableSectorError, type ImageSink, type SaveHooks } from './reading/save-image.ts';
import {
  blobSectorReader,
  listVolume,
  openSource,
  verifyAgainstFiles,
  verifyAgainstImage,
  volumeFile,
  walkVolume,
} from './reading/disc-access.ts';
import type { DiscVolume } from './reading/disc-files.ts';
import { FileSaves, discFacts } from './reading/file-saves.ts';

/** A drive a source found. `id` must be stable across sessions (the lock record is keyed by it). */
export interface DiscoveredDevice {
  readonly summary: RecorderSummary;
  readonly device: UsbDeviceLike;
  readonly osDriver?: OsDriverControl | undefined;
}

/** Where drives come from: the virtual recorder, WebUSB, or node-usb. */
export interface RecorderSource {
  list(): Promise<readonly DiscoveredDevice[]>;
}

/** The virtual recorder's own controls (its media picker and eject button). */
export interface VirtualControl {
  insertMedia(name: string): Promise<VirtualDriveState>;
  insertImage(image: BlobLike, as?: string): Promise<VirtualDriveState>;
  pressEjectButton(): Promise<VirtualDriveState>;
  state(): Promise<VirtualDriveState>;
}

export interface ServiceOptions {
  readonly sessionId: string;
  readonly coordinator: LockCoordinator;
  readonly sources: readonly RecorderSource[];
  readonly virtual?: VirtualControl | undefined;
  readonly mcnIntervalMs?: number | undefined;
  readonly transport?: ConstructorParameters<typeof Recorder>[0]['transport'];
}

function toImageSource(source: Exclude<BurnSource, { kind: 'files' }>): ImageSource {
  switch (source.kind) {
    case 'blob':
      return blobSource(source.blob);
    case 'bytes':
      return bytesSource(source.bytes);
    case 'stream':
      return streamSource(source.stream, source.size);
  }
}

/** A burn's or erase's failure as a value: the error, where it stopped, and the disc afterwards. */
function operationFailure(error: unknown): OperationFailure {
  if (error instanceof OperationError) return error.toFailure();
  return { ...toErrorValue(error), lastWrittenLba: null, firstBadLba: null, disc: null };
}

async function result<T>(body: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (error) {
    return { ok: false, error: toErrorValue(error) };
  }
}

export class WebdiscService implements WebdiscWorkerApi {
  #o: ServiceOptions;
  #recorders = new Map<string, Recorder>();
  #listeners = new Set<(event: RecorderEvent) => void>();
  #refreshing: Promise<readonly RecorderSummary[]> | undefined;
  #sourceProblems: string[] = [];
  /** Saves into picked files that failed part way, kept to be resumed (issue 17). */
  readonly #fileSaves = new FileSaves();

  constructor(options: ServiceOptions) {
    this.#o = options;
  }

  get sessionId(): string {
    return this.#o.sessionId;
  }

  /** Direct access for in-process callers (the CLI, tests). */
  async recorder(id: string): Promise<Recorder> {
    if (this.#recorders.size === 0) await this.#refresh();
    const r = this.#recorders.get(id) ?? (id === '' ? [...this.#recorders.values()][0] : undefined);
    if (!r) {
      const problems = this.#sourceProblems.length ? ` (${this.#sourceProblems.join('; ')})` : '';
      throw new WebdiscError(
        'E_IMAPI_RECORDER_REQUIRED',
        `No recorder "${id}". Known: ${[...this.#recorders.keys()].join(', ') || 'none'}${problems}.`,
      );
    }
    return r;
  }

  #emit(event: RecorderEvent): void {
    for (const l of [...this.#listeners]) {
      try {
        l(event);
      } catch {
        // A dead subscriber (a closed page) must not break the others.
        this.#listeners.delete(l);
      }
    }
  }

  #refresh(): Promise<readonly RecorderSummary[]> {
    this.#refreshing ??= (async () => {
      try {
        const found = new Map<string, DiscoveredDevice>();
        const problems: string[] = [];
        for (const source of this.#o.sources) {
          // One source failing (no USB access here) must not hide the others.
          try {
            for (const d of await source.list()) found.set(d.summary.id, d);
          } catch (error) {
            problems.push(error instanceof Error ? error.message : String(error));
          }
        }
        this.#sourceProblems = problems;
        let changed = false;
        for (const [id, r] of this.#recorders) {
          const now = found.get(id);
          if (!now || now.device !== r.device) {
            r.markGone();
            r.dispose();
            this.#recorders.delete(id);
            changed = true;
          }
        }
        for (const [id, d] of found) {
          if (this.#recorders.has(id)) continue;
          this.#recorders.set(
            id,
            new Recorder({
              summary: d.summary,
              device: d.device,
              osDriver: d.osDriver,
              sessionId: this.#o.sessionId,
              coordinator: this.#o.coordinator,
              emit: (e) => this.#emit(e),
              mcnIntervalMs: this.#o.mcnIntervalMs,
              transport: this.#o.transport,
            }),
          );
          changed = true;
        }
        const list = [...this.#recorders.values()].map((r) => r.summary);
        if (changed) this.#emit({ type: 'recorders', recorders: list });
        return list;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }

  /** Why a source could not list its drives at the last look (e.g. no USB access). */
  get sourceProblems(): readonly string[] {
    return this.#sourceProblems;
  }

  /** A device's disconnect event (WebUSB or node-usb): its recorder goes at once. */
  deviceGone(device: UsbDeviceLike): void {
    for (const [id, r] of this.#recorders) {
      if (r.device !== device) continue;
      r.markGone();
      r.dispose();
      this.#recorders.delete(id);
      this.#emit({
        type: 'recorders',
        recorders: [...this.#recorders.values()].map((x) => x.summary),
      });
    }
  }

  dispose(): void {
    for (const r of this.#recorders.values()) r.dispose();
    this.#recorders.clear();
    this.#listeners.clear();
  }

  // ------------------------------------------------------------------- API

  listRecorders(): Promise<Result<readonly RecorderSummary[]>> {
    return result(async () =>
      this.#recorders.size ? [...this.#recorders.values()].map((r) => r.summary) : this.#refresh(),
    );
  }

  refreshUsbDevices(): Promise<Result<readonly RecorderSummary[]>> {
    return result(() => this.#refresh());
  }

  getInfo(id: string): Promise<Result<RecorderInfo>> {
    return result(async () => (await this.recorder(id)).info());
  }

  getMedia(id: string): Promise<Result<MediaState>> {
    return result(async () => (await this.recorder(id)).media());
  }

  acquireExclusiveAccess(
    id: string,
    force: boolean,
    clientName: string,
  ): Promise<Result<LockState>> {
    return result(async () => (await this.recorder(id)).acquire(force, clientName));
  }

  releaseExclusiveAccess(id: string): Promise<Result<LockState>> {
    return result(async () => (await this.recorder(id)).release());
  }

  exclusiveAccessOwner(id: string): Promise<Result<string>> {
    return result(async () => (await this.recorder(id)).owner());
  }

  getLockState(id: string): Promise<Result<LockState>> {
    return result(async () => (await this.recorder(id)).lockState());
  }

  ejectMedia(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).ejectMedia());
  }

  closeTray(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).closeTray());
  }

  disableMcn(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).disableMcn());
  }

  enableMcn(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).enableMcn());
  }

  unlockTray(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).unlockTray());
  }

  sendCommand(
    id: string,
    cdbHex: string,
    data: RawData,
    timeoutMs?: number,
  ): Promise<Result<RawResult>> {
    return result(async () => {
      let cdb: Uint8Array;
      try {
        cdb = fromHex(cdbHex);
      } catch (error) {
        throw new WebdiscError('E_INVALIDARG', `The CDB is not hex: ${JSON.stringify(cdbHex)}.`, {
          cause: error,
        });
      }
      if (
        data.direction === 'in' &&
        (!Number.isInteger(data.length) || data.length < 1 || data.length > 0xffffff)
      ) {
        throw new WebdiscError(
          'E_INVALIDARG',
          `A data-in length must be 1..16777215 bytes, not ${data.length}.`,
        );
      }
      return (await this.recorder(id)).sendCommand(cdb, data, timeoutMs);
    });
  }

  openExclusive(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).openExclusive());
  }

  close(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).close());
  }

  queryMediaType(id: string): Promise<Result<MediaTypeV1>> {
    return result(async () => (await this.recorder(id)).queryMediaType());
  }

  queryMediaInfo(id: string): Promise<Result<MediaInfoV1>> {
    return result(async () => (await this.recorder(id)).queryMediaInfo());
  }

  eject(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).ejectV1());
  }

  erase(id: string, full: boolean): Promise<Result<void>> {
    return result(async () => {
      const r = await this.recorder(id);
      const started = Date.now();
      await r.erase(full, (fraction) => {
        const elapsedMs = Date.now() - started;
        this.#emit({
          type: 'progress',
          recorderId: id,
          progress: {
            action: 'erasing',
            fraction,
            elapsedMs,
            remainingMs: fraction > 0 ? Math.round((elapsedMs / fraction) * (1 - fraction)) : null,
          },
        });
      });
    });
  }

  async eraseMedia(id: string, options: EraseOptions): Promise<OperationResult<EraseReport>> {
    try {
      const recorder = await this.recorder(id);
      const report = await recorder.eraseMedia(options, (progress) =>
        this.#emit({ type: 'progress', recorderId: id, progress }),
      );
      return { ok: true, value: report };
    } catch (error) {
      return { ok: false, error: operationFailure(error) };
    }
  }

  async burnImage(
    id: string,
    source: BurnSource,
    options: BurnOptions,
  ): Promise<OperationResult<BurnReport>> {
    if (source.kind === 'files') {
      let root: DirEntry;
      try {
        root = treeOf(source.root);
      } catch (error) {
        return { ok: false, error: operationFailure(error) };
      }
      return this.burnFiles(id, root, source.image ?? {}, options, undefined, source.append);
    }
    return this.burn(id, toImageSource(source), options);
  }

  planFileImage(
    root: FileTreeEntry & { readonly kind: 'dir' },
    options: FileImageOptions = {},
  ): Promise<Result<FileImagePlan>> {
    return result(async () => {
      const tree = treeOf(root);
      return summarize(tree, planFiles(tree, options));
    });
  }

  /**
   * Files and folders burned in one pass (the CLI hands a Node directory
   * walk, the worker the page's Files): planned, checked against the disc,
   * every file checked readable, then built while written.
   */
  async burnFiles(
    id: string,
    root: DirEntry,
    image: FileImageOptions,
    options: BurnOptions,
    /** The plan, when the caller made it already (to show its report first). */
    planned?: ImagePlan,
    /** Add to the disc's files (multisession) rather than start a new disc. */
    append?: { readonly remove?: readonly string[]; readonly planned?: AppendPlan },
  ): Promise<OperationResult<BurnReport>> {
    try {
      const recorder = await this.recorder(id);
      if (append) {
        const media = await recorder.media();
        if (media.status !== 'blank') {
          const ap =
            append.planned ??
            (await planAppend(this.discReader(id), media, root, append.remove ?? [], image));
          await checkFiles(ap.tree);
          return await appendSession(this, id, ap, options);
        }
      }
      const plan = planned ?? planFiles(root, image);
      checkDiscFor(plan, await recorder.media());
      await checkFiles(root);
      return await this.burn(id, planSource(plan), options);
    } catch (error) {
      return { ok: false, error: operationFailure(error) };
    }
  }

  /** In-process callers (the CLI) hand over any ImageSource, e.g. a file read in Node. */
  async burn(
    id: string,
    source: ImageSource,
    options: BurnOptions,
  ): Promise<OperationResult<BurnReport>> {
    try {
      const recorder = await this.recorder(id);
      const report = await recorder.burn(source, options, (p) =>
        this.#emit({ type: 'progress', recorderId: id, progress: p }),
      );
      return { ok: true, value: report };
    } catch (error) {
      return { ok: false, error: operationFailure(error) };
    }
  }

  /**
   * Saves a disc (or one session or track) as an image into `sink`, with a
   * rescue map (hooks.onMap) and, when given, hashes (hooks.digests). In
   * process only: the worker wraps it with an OPFS or file sink.
   */
  async saveDisc(
    id: string,
    sink: ImageSink,
    options: SaveOptions = {},
    hooks: SaveHooks = {},
  ): Promise<OperationResult<SaveReport>> {
    try {
      const recorder = await this.recorder(id);
      const report = await recorder.saveImage(options, sink, hooks, (p) =>
        this.#emit({ type: 'progress', recorderId: id, progress: p }),
      );
      return { ok: true, value: report };
    } catch (error) {
      return {
        ok: false,
        error: {
          ...operationFailure(error),
          ...(error instanceof UnreadableSectorError ? { firstBadLba: error.lba } : {}),
        },
      };
    }
  }

  /**
   * Copies the disc in `fromId` onto the disc in `toId` at once (two drives):
   * read into a bounded pipe, burned from it. One drive: save, change discs,
   * burn the image (the CLI's `copy` and the app's Copy do that).
   */
  async copyDisc(
    fromId: string,
    toId: string,
    save: SaveOptions,
    burn: BurnOptions,
  ): Promise<OperationResult<CopyReport>> {
    try {
      const from = await this.recorder(fromId);
      const to = await this.recorder(toId);
      if (from === to) {
        throw new WebdiscError(
          'E_INVALIDARG',
          'Copying onto the same drive needs the disc changed in between: save the disc as an image, insert a blank disc, then burn the image.',
        );
      }
      const range = await from.resolveSaveRange(save.range);
      return await copyOnTheFly({
        sectors: range.count,
        // A copy is one session: a multisession disc's newest files must be the ones it shows.
        read: (sink) => this.saveDisc(fromId, sink, { newestVolumeFirst: true, ...save }),
        write: (source) => this.burn(toId, source, burn),
        cancelRead: () => from.cancelOperation(),
      });
    } catch (error) {
      return { ok: false, error: operationFailure(error) };
    }
  }

  /** The disc's sectors for a file-system reader (disc-fs), through READ(10) like readSectors. */
  discReader(id: string): { read(sector: number, count: number): Promise<Uint8Array> } {
    return {
      read: async (sector, count) => {
        const r = await this.readSectors(id, sector, count);
        if (!r.ok) {
          const name = hresultName(r.error.hresult) ?? 'E_FAIL';
          throw new WebdiscError(name, r.error.message, { sense: r.error.sense ?? undefined });
        }
        return r.value;
      },
    };
  }

  cancelOperation(id: string): Promise<Result<void>> {
    return result(async () => (await this.recorder(id)).cancelOperation());
  }

  readSectors(id: string, lba: number, count: number): Promise<Result<Uint8Array>> {
    return result(async () => (await this.recorder(id)).readSectors(lba, count));
  }

  #virtual(): VirtualControl {
    if (!this.#o.virtual)
      throw new WebdiscError('E_IMAPI_RECORDER_REQUIRED', 'There is no virtual recorder here.');
    return this.#o.virtual;
  }

  virtualInsertMedia(name: string): Promise<Result<VirtualDriveState>> {
    return result(() => this.#virtual().insertMedia(name));
  }

  virtualInsertImage(image: BlobLike, as?: string): Promise<Result<VirtualDriveState>> {
    return result(() => this.#virtual().insertImage(image, as));
  }

  virtualPressEjectButton(): Promise<Result<VirtualDriveState>> {
    return result(() => this.#virtual().pressEjectButton());
  }

  virtualState(): Promise<Result<VirtualDriveState>> {
    return result(() => this.#virtual().state());
  }

  subscribe(listener: (event: RecorderEvent) => void): Promise<void> {
    this.#listeners.add(listener);
    return Promise.resolve();
  }

  unsubscribe(listener: (event: RecorderEvent) => void): void {
    this.#listeners.delete(listener);
  }

  // ------------------------------------------------ issue 17: disc to files

  /**
   * The file system on a disc (READ(10); its newest data session, as a
   * drive's TOC leads an OS to it) or an image (a Blob), opened afresh each call.
   */
  async discVolume(source: DiscFilesSource): Promise<DiscVolume> {
    if (source.kind === 'image') return openSource(blobSectorReader(source.image));
    const media = await (await this.recorder(source.id)).media();
    return openSource(this.discReader(source.id), newestFilesStart(media));
  }

  listDiscFiles(source: DiscFilesSource, path: string): Promise<Result<DiscListing>> {
    return result(async () => listVolume(await this.discVolume(source), path));
  }

  walkDiscFiles(source: DiscFilesSource, path: string): Promise<Result<readonly DiscFileEntry[]>> {
    return result(async () => walkVolume(await this.discVolume(source), path));
  }

  /** A file's bytes in chunks (in process; the worker hands the page a stream of them). */
  async discFile(source: DiscFilesSource, path: string): Promise<AsyncIterable<Uint8Array>> {
    const volume = await this.discVolume(source);
    await volume.stat(path);
    return volumeFile(volume, path);
  }

  /** The disc as an image into a file the page picked (a FileSystemFileHandle, structurally). */
  async saveDiscToFile(
    id: string,
    file: WritableFileLike,
    options: SaveOptions,
  ): Promise<OperationResult<SavedImage>> {
    return this.#fileSaves.start(id, file, await this.#discFacts(id), options, (sink, o, hooks) =>
      this.saveDisc(id, sink, o, hooks),
    );
  }

  async resumeSaveToFile(
    id: string,
    token: string,
    changes: Pick<SaveOptions, 'continuePastErrors' | 'retries'>,
  ): Promise<OperationResult<SavedImage>> {
    return this.#fileSaves.resume(token, await this.#discFacts(id), changes, (sink, o, hooks) =>
      this.saveDisc(id, sink, o, hooks),
    );
  }

  discardSave(token: string): Promise<Result<void>> {
    return result(() => this.#fileSaves.discard(token));
  }

  /** The disc in `id` as FileSaves tells discs apart ('' when it cannot be read: the save says why). */
  async #discFacts(id: string): Promise<string> {
    try {
      return discFacts(id, await (await this.recorder(id)).media());
    } catch {
      return '';
    }
  }

  verifyDisc(id: string, against: VerifyAgainst): Promise<Result<DiscVerifyReport>> {
    return result(async () =>
      against.kind === 'image'
        ? verifyAgainstImage(this.discReader(id), against.image)
        : verifyAgainstFiles(await this.discVolume({ kind: 'disc', id }), against.root),
    );
  }

  // ------------------------------------------------ issue 18: adding files to a disc

  /** The session burnImage with `append` would write, planned only (its fit is reported, not enforced). */
  planFileSession(
    id: string,
    root: FileTreeEntry & { readonly kind: 'dir' },
    options: FileImageOptions,
    append: { readonly remove?: readonly string[] },
  ): Promise<Result<FileSessionPlan>> {
    return result(async () => {
      const media = await (await this.recorder(id)).media();
      // Unbounded here so a session too big still has a size to show; burning checks the real space.
      const roomy = {
        ...media,
        freeBlocks: Number.MAX_SAFE_INTEGER,
        capacityBlocks: Number.MAX_SAFE_INTEGER,
      };
      const ap = await planAppend(
        this.discReader(id),
        roomy,
        treeOf(root),
        append.remove ?? [],
        options,
      );
      return {
        sectors: ap.plan.sectors,
        bytes: ap.plan.bytes,
        startSector: ap.startSector,
        grow: ap.grow,
        edits: ap.edits.map((e) => ({ kind: e.kind, path: e.path })),
        freeSectors: ap.grow
          ? Math.max(0, media.capacityBlocks - ap.startSector)
          : media.freeBlocks,
      };
    });
  }

  /** Every entry of the disc's newest data session: the tree a new session builds on. */
  walkSessionFiles(id: string): Promise<Result<readonly DiscFileEntry[]>> {
    return this.walkDiscFiles({ kind: 'disc', id }, '/');
  }
}
