/**
 * A fake of the worker API (the UiApi subset) for component tests: one
 * virtual recorder with media, an IMAPI2-style lock that another session can
 * hold, an event stream the test drives with `emit`, and erase and burn that
 * follow the engine's rules closely enough for the UI (the erasable and
 * writable profiles, the exact fit, progress events, cancel, the SHA-256 of
 * the image on a full verification). With `hold` set, an operation stops
 * after its first progress event until `finish()` or `cancelOperation`.
 */
import type {
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
  ErrorValue,
  FileImageOptions,
  FileImagePlan,
  FileSessionPlan,
  LockState,
  MediaState,
  OperationFailure,
  OperationResult,
  Progress,
  RecorderEvent,
  RecorderInfo,
  RecorderSummary,
  Result,
  SaveOptions,
  SavedImage,
  VerifyAgainst,
  VirtualDriveState,
  WritableFileLike,
} from '../../contract/api.ts';
import type { UiApi, UiApiMethod } from '../lib/api.ts';
import { roughPlan, type Root } from './rough-plan.ts';
import {
  MEDIA,
  error,
  fail,
  ok,
  sha256Hex,
  sourceBlob,
  savedImage,
  stoppedSave,
  withOperationFields,
} from './fake-api-parts.ts';
import { CLIENT_NAME_PATTERN } from '../../contract/client-name.ts';
import {
  ERASABLE_MEDIA_WORDS,
  eraseMethodOf,
  sectorsFor,
  writeFamilyOf,
} from '../../contract/profiles.ts';
import { VIRTUAL_ID } from '../../contract/virtual.ts';
import {
  blankCdR,
  blankCdRw,
  blankDvd,
  lockedError,
  noDisc,
  sampleInfo,
  virtualSummary,
} from './samples.ts';

export { MEDIA, roughPlan };

type AppendSpec = { readonly remove?: readonly string[] };

export class FakeApi implements UiApi {
  readonly calls: { method: string; args: unknown[] }[] = [];
  listener: ((event: RecorderEvent) => void) | undefined;
  recorders: RecorderSummary[] = [virtualSummary];
  info: Record<string, RecorderInfo> = { [VIRTUAL_ID]: sampleInfo() };
  media: MediaState = blankDvd;
  mediaName = 'DVD+R blank';
  count = 0;
  owner = '';
  /** The owner's name when another session holds the lock. */
  otherOwner: string | null = null;
  /** Methods that reject (as Comlink does when the worker throws) or resolve to an error. */
  readonly failures: Partial<Record<UiApiMethod, ErrorValue | OperationFailure | Error>> = {};
  /** Erase and burn wait after their first progress event until finish() or cancelOperation. */
  hold = false;
  /** planFileImage's answer; roughPlan unless a test sets its own. */
  filePlan: (root: Root, options: FileImageOptions) => FileImagePlan = roughPlan;
  #running: ((cancelled: boolean) => void) | null = null;

  #record(method: UiApiMethod, ...args: unknown[]): Promise<Result<never>> | undefined {
    this.calls.push({ method, args });
    const failure = this.failures[method];
    if (failure instanceof Error) return Promise.reject(failure);
    if (failure) return fail(failure);
    return undefined;
  }

  called(method: UiApiMethod): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  emit(event: RecorderEvent): void {
    this.listener?.(event);
  }

  lockState(): LockState {
    const other = this.otherOwner;
    return {
      count: other ? 0 : this.count,
      owner: other ?? this.owner,
      ownedByMe: !other && this.count > 0,
      busy: !!other,
      trayLocked: !!other || this.count > 0,
      stale: false,
      openedV1: false,
    };
  }

  /** Another tab takes the lock: this session gets a 'lock' event. */
  lockElsewhere(name: string): void {
    this.otherOwner = name;
    this.emit({ type: 'lock', recorderId: VIRTUAL_ID, lock: this.lockState() });
  }

  releaseElsewhere(): void {
    this.otherOwner = null;
    this.emit({ type: 'lock', recorderId: VIRTUAL_ID, lock: this.lockState() });
  }

  virtual(): VirtualDriveState {
    return {
      media: this.mediaName,
      mediaNames: Object.keys(MEDIA),
      trayOpen: this.media.trayOpen ?? false,
      prevent: this.count > 0,
      persistentPrevent: false,
      mountedByOs: false,
      preventHistory: [],
    };
  }

  subscribe(listener: (event: RecorderEvent) => void): Promise<void> {
    const failed = this.#record('subscribe', listener);
    if (failed) return failed.then(() => undefined);
    this.listener = listener;
    return Promise.resolve();
  }

  listRecorders() {
    return this.#record('listRecorders') ?? ok<readonly RecorderSummary[]>(this.recorders);
  }

  refreshUsbDevices() {
    return this.#record('refreshUsbDevices') ?? ok<readonly RecorderSummary[]>(this.recorders);
  }

  getInfo(id: string) {
    const info = this.info[id];
    return (
      this.#record('getInfo', id) ??
      (info
        ? ok(info)
        : fail<RecorderInfo>(error('HRESULT_FROM_WIN32_ERROR_DEV_NOT_EXIST', 'No such recorder.')))
    );
  }

  getMedia(id: string) {
    return this.#record('getMedia', id) ?? ok(this.media);
  }

  getLockState(id: string) {
    return this.#record('getLockState', id) ?? ok(this.lockState());
  }

  acquireExclusiveAccess(id: string, force: boolean, clientName: string) {
    const failed = this.#record('acquireExclusiveAccess', id, force, clientName);
    if (failed) return failed;
    if (!CLIENT_NAME_PATTERN.test(clientName))
      return fail<LockState>(error('E_INVALIDARG', 'The client name is not valid.'));
    if (this.otherOwner)
      return fail<LockState>(
        error('E_ACCESS_DENIED', `“${this.otherOwner}” holds exclusive access.`),
      );
    if (this.count === 0) this.owner = clientName;
    this.count++;
    return ok(this.lockState());
  }

  releaseExclusiveAccess(id: string) {
    const failed = this.#record('releaseExclusiveAccess', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<LockState>(lockedError(this.otherOwner));
    if (this.count === 0)
      return fail<LockState>(
        error('E_IMAPI_RECORDER_LOCKED', 'This session does not hold exclusive access.'),
      );
    this.count--;
    if (this.count === 0) this.owner = '';
    return ok(this.lockState());
  }

  ejectMedia(id: string) {
    const failed = this.#record('ejectMedia', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<void>(lockedError(this.otherOwner));
    this.media = { ...this.media, trayOpen: true };
    return ok<void>(undefined);
  }

  closeTray(id: string) {
    const failed = this.#record('closeTray', id);
    if (failed) return failed;
    if (this.otherOwner) return fail<void>(lockedError(this.otherOwner));
    this.media = { ...this.media, trayOpen: false };
    return ok<void>(undefined);
  }

  unlockTray(id: string) {
    return this.#record('unlockTray', id) ?? ok<void>(undefined);
  }

  virtualInsertMedia(name: string) {
    const failed = this.#record('virtualInsertMedia', name);
    if (failed) return failed;
    this.mediaName = name;
    this.media = MEDIA[name] ?? noDisc;
    return ok(this.virtual());
  }

  virtualInsertImage(image: Blob, as?: string) {
    const failed = this.#record('virtualInsertImage', image, as);
    if (failed) return failed;
    this.mediaName = as ?? 'cd-rom';
    this.media = MEDIA[this.mediaName] ?? noDisc;
    return ok(this.virtual());
  }

  virtualPressEjectButton() {
    const failed = this.#record('virtualPressEjectButton');
    if (failed) return failed;
    if (this.count > 0 || this.otherOwner) {
      this.emit({ type: 'eject-request', recorderId: VIRTUAL_ID });
    } else {
      this.media = { ...this.media, trayOpen: true };
    }
    return ok(this.virtual());
  }

  /** An erase or burn is running (held). */
  get running(): boolean {
    return this.#running !== null;
  }

  /** Lets a held erase or burn run to its end. */
  finish(): void {
    this.#running?.(false);
  }

  cancelOperation(id: string) {
    const failed = this.#record('cancelOperation', id);
    if (failed) return failed;
    if (!this.#running)
      return fail<void>(error('E_FAIL', 'No erase or burn is running on this recorder.'));
    this.#running(true);
    return ok<void>(undefined);
  }

  /** The checks both operations make before they start (the worker's #withLock). */
  #refusal(clientName: string): ErrorValue | null {
    if (!CLIENT_NAME_PATTERN.test(clientName))
      return error('E_INVALIDARG', 'The client name is not valid.');
    if (this.otherOwner) return lockedError(this.otherOwner);
    if (this.#running)
      return error(
        'E_IMAPI_DF2DATA_WRITE_IN_PROGRESS',
        'An erase or a burn is running on this recorder.',
      );
    if (!this.media.present)
      return error('E_IMAPI_RECORDER_MEDIA_NO_MEDIA', 'There is no disc in the drive.');
    return null;
  }

  /**
   * Takes the lock with the operation's client name (as IMAPI2 does), emits
   * the first step, waits while `hold` is set, then the rest, and gives the
   * lock back. Resolves to true when the operation was cancelled meanwhile.
   */
  async #steps(id: string, clientName: string, steps: readonly Progress[]): Promise<boolean> {
    if (this.count++ === 0) this.owner = clientName;
    this.emit({ type: 'lock', recorderId: id, lock: this.lockState() });
    try {
      const [first, ...rest] = steps;
      if (first) this.emit({ type: 'progress', recorderId: id, progress: first });
      if (this.hold) {
        const cancelled = await new Promise<boolean>((resolve) => (this.#running = resolve));
        this.#running = null;
        if (cancelled) return true;
      }
      for (const progress of rest) this.emit({ type: 'progress', recorderId: id, progress });
      return false;
    } finally {
      if (--this.count === 0) this.owner = '';
      this.emit({ type: 'lock', recorderId: id, lock: this.lockState() });
    }
  }

  async eraseMedia(id: string, options: EraseOptions): Promise<OperationResult<EraseReport>> {
    return withOperationFields(await this.#erase(id, options));
  }

  async #erase(id: string, options: EraseOptions): Promise<Result<EraseReport, ErrorValue>> {
    const failed = this.#record('eraseMedia', id, options);
    if (failed) return failed;
    const refusal = this.#refusal(options.clientName);
    if (refusal) return { ok: false, error: refusal };
    const method = eraseMethodOf(this.media.profile?.code);
    if (!method)
      return {
        ok: false,
        error: error(
          'E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE',
          `${this.media.profile?.name ?? 'This medium'} cannot be erased: ${ERASABLE_MEDIA_WORDS}.`,
        ),
      };
    const step = (fraction: number): Progress => ({
      action: 'erasing',
      fraction,
      elapsedMs: fraction * 60_000,
      remainingMs: (1 - fraction) * 60_000,
    });
    if (await this.#steps(id, options.clientName, [step(0.25), step(0.75), step(1)]))
      return {
        ok: false,
        error: error('E_IMAPI_REQUEST_CANCELLED', 'The erase was cancelled.'),
      };
    const formatted = method === 'format';
    this.media = formatted
      ? { ...this.media, status: 'complete', tracks: [], sessions: 1 }
      : { ...blankCdRw, profile: this.media.profile, physicalType: this.media.physicalType };
    return {
      ok: true,
      value: {
        method: formatted ? 'format' : options.full ? 'blank-full' : 'blank-minimal',
        durationMs: 60_000,
        disc: this.media,
      },
    };
  }

  async burnImage(
    id: string,
    source: BurnSource,
    options: BurnOptions,
  ): Promise<OperationResult<BurnReport>> {
    return withOperationFields(await this.#burn(id, source, options));
  }

  async #burn(
    id: string,
    source: BurnSource,
    options: BurnOptions,
  ): Promise<Result<BurnReport, ErrorValue>> {
    const failed = this.#record('burnImage', id, source, options);
    if (failed) return failed;
    const refusal = this.#refusal(options.clientName);
    if (refusal) return { ok: false, error: refusal };
    const blob = sourceBlob(source);
    const size = source.kind === 'files' ? this.filePlan(source.root, {}).bytes : (blob?.size ?? 0);
    const sectors = sectorsFor(size);
    const m = this.media;
    const startLba = m.nextWritableAddress ?? 0;
    if (sectors > m.freeBlocks)
      return {
        ok: false,
        error: error(
          'E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA',
          `The image needs ${sectors} sectors; the disc has ${m.freeBlocks} free from LBA ${startLba}.`,
        ),
      };
    const step = (action: string, fraction: number, written: number): Progress => ({
      action,
      fraction,
      elapsedMs: fraction * 10_000,
      remainingMs: (1 - fraction) * 10_000,
      startLba,
      sectorCount: sectors,
      lastWrittenLba: written > 0 ? startLba + written - 1 : null,
      bufferFill: written > 0 ? 0.8 : null,
    });
    const half = Math.floor(sectors / 2);
    const cancelled = await this.#steps(id, options.clientName, [
      step('writing', half / sectors, half),
      step('finalizing', 1, sectors),
      step('completed', 1, sectors),
    ]);
    const written: MediaState = {
      ...m,
      status: options.close ? 'complete' : 'appendable',
      sessions: m.sessions + 1,
      tracks: [
        ...m.tracks,
        {
          number: m.tracks.length + 1,
          session: m.sessions + 1,
          start: startLba,
          size: sectors,
          mode: 'data',
        },
      ],
      freeBlocks: m.freeBlocks - sectors,
      nextWritableAddress: options.close ? null : startLba + sectors,
    };
    if (cancelled) {
      this.media = { ...m, status: 'appendable', freeBlocks: m.freeBlocks - half };
      const failure: OperationFailure = {
        ...error('E_IMAPI_REQUEST_CANCELLED', 'The burn was cancelled.'),
        lastWrittenLba: half > 0 ? startLba + half - 1 : null,
        firstBadLba: null,
        disc: this.media,
      };
      return { ok: false, error: failure };
    }
    if (!options.simulate) this.media = written;
    const full = options.verify === 'full' && !options.simulate;
    return {
      ok: true,
      value: {
        startLba,
        sectorCount: sectors,
        lastWrittenLba: startLba + sectors - 1,
        durationMs: 10_000,
        verify: options.simulate ? 'none' : (options.verify ?? 'none'),
        sha256: full && blob ? await sha256Hex(blob) : null,
        simulated: options.simulate ?? false,
        writeType: options.writeType ?? 'incremental',
        speedKBps: options.speedKBps ?? null,
        closed: options.close ?? false,
        disc: this.media,
      },
    };
  }

  planFileImage(root: Root, options: FileImageOptions = {}) {
    return this.#record('planFileImage', root, options) ?? ok(this.filePlan(root, options));
  }

  /** planFileSession: roughPlan's size of the new files at the next writable address. */
  planFileSession(id: string, root: Root, options: FileImageOptions, append: AppendSpec) {
    const failed = this.#record('planFileSession', id, root, options, append);
    if (failed) return failed;
    const remove = append.remove ?? [];
    const adds = root.children.map((c) => `/${c.name}`);
    // Overwritable media grow in place after the old volume (here: its track, 16-aligned).
    const grow = writeFamilyOf(this.media.profile?.code) === 'random';
    const end = Math.ceil((this.media.tracks[0]?.size ?? 0) / 16) * 16;
    return ok<FileSessionPlan>({
      sectors: roughPlan(root).sectors,
      bytes: roughPlan(root).bytes,
      startSector: grow ? end : (this.media.nextWritableAddress ?? 0),
      grow,
      edits: [
        ...remove.map((path) => ({ kind: 'removed' as const, path })),
        ...adds.map(
          (path) => ({ kind: path in this.discFiles ? 'replaced' : 'added', path }) as const,
        ),
      ],
      freeSectors: grow ? this.media.capacityBlocks - end : this.media.freeBlocks,
    });
  }

  virtualState() {
    return this.#record('virtualState') ?? ok(this.virtual());
  }

  // ---------------------------------------------------- issue 17: disc to files

  /** The disc's (and any image's) files: path → content (a folder when null). */
  discFiles: Record<string, string | null> = {
    '/readme.txt': 'Hello from webdisc.\n',
    '/data': null,
    '/data/numbers.bin': '0123456789',
  };
  /** The save's unreadable sectors (zero-filled, with a map), when a test wants some. */
  badSectors = 0;
  /**
   * A save without continuePastErrors stops at this LBA (unreadable), keeping
   * what it read to be resumed, as the engine's FileSaves does; null: no stop.
   */
  saveStopsAt: number | null = null;
  /** The save waiting to be resumed: its token and file. */
  #waitingSave: { token: string; file: WritableFileLike; readSectors: number } | null = null;
  /** verifyDisc's answer. */
  verifyReport: DiscVerifyReport = {
    against: 'image',
    same: true,
    sectors: 300,
    files: 0,
    sha256: 'ab'.repeat(32),
    firstDifferentLba: null,
    firstDifferentPath: null,
    message: 'The disc holds the image: 300 sectors identical.',
  };

  #entry(path: string): DiscFileEntry | null {
    const content = this.discFiles[path];
    if (content === undefined) return null;
    return {
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      kind: content === null ? 'dir' : 'file',
      size: content === null ? 2048 : new TextEncoder().encode(content).length,
      mtime: Date.UTC(2024, 5, 1, 12, 0),
    };
  }

  #children(path: string): DiscFileEntry[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    return Object.keys(this.discFiles)
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .sort()
      .map((p) => this.#entry(p)!);
  }

  listDiscFiles(source: DiscFilesSource, path: string) {
    const failed = this.#record('listDiscFiles', source, path);
    if (failed) return failed;
    if (path !== '/' && this.#entry(path)?.kind !== 'dir')
      return fail<DiscListing>(error('E_INVALIDARG', `"${path}" is not on the disc.`));
    return ok<DiscListing>({
      label: source.kind === 'image' ? 'IMAGE' : 'SOMMER',
      fileSystem: 'ISO 9660 + Joliet',
      path,
      entries: this.#children(path),
    });
  }

  /** The disc's files (the fake has one session). */
  walkSessionFiles(id: string) {
    return this.#record('walkSessionFiles', id) ?? this.walkDiscFiles({ kind: 'disc', id }, '/');
  }

  walkDiscFiles(source: DiscFilesSource, path: string) {
    const failed = this.#record('walkDiscFiles', source, path);
    if (failed) return failed;
    const prefix = path === '/' ? '/' : `${path}/`;
    const list = Object.keys(this.discFiles)
      .filter((p) => p === path || p.startsWith(prefix))
      .sort()
      .map((p) => this.#entry(p)!);
    return ok<readonly DiscFileEntry[]>(list);
  }

  readDiscFile(source: DiscFilesSource, path: string) {
    const failed = this.#record('readDiscFile', source, path);
    if (failed) return failed;
    const content = this.discFiles[path];
    if (typeof content !== 'string')
      return fail<ReadableStream<Uint8Array>>(error('E_INVALIDARG', `"${path}" is not a file.`));
    return ok(new Blob([content]).stream() as ReadableStream<Uint8Array>);
  }

  async saveDiscToFile(
    id: string,
    file: WritableFileLike,
    options: SaveOptions,
  ): Promise<OperationResult<SavedImage>> {
    const failed = this.#record('saveDiscToFile', id, file, options);
    if (failed) return withOperationFields(await failed);
    const sectors = 300;
    const step = (fraction: number): Progress => ({
      action: 'reading',
      fraction,
      elapsedMs: fraction * 4000,
      remainingMs: (1 - fraction) * 4000,
      startLba: 0,
      sectorCount: sectors,
      position: Math.round(fraction * sectors),
      badSectors: this.badSectors,
      bytesPerSecond: 4_500_000,
    });
    if (await this.#steps(id, 'webdisc', [step(0.5), step(1)]))
      return withOperationFields({
        ok: false,
        error: error('E_IMAPI_REQUEST_CANCELLED', 'The save was cancelled.'),
      });
    if (this.saveStopsAt !== null && !options.continuePastErrors) {
      const token = `save-${this.calls.length}`;
      this.#waitingSave = { token, file, readSectors: this.saveStopsAt };
      return stoppedSave(this.saveStopsAt, token, sectors);
    }
    return this.#savedInto(file, sectors, false);
  }

  async #savedInto(
    file: WritableFileLike,
    sectors: number,
    resumed: boolean,
    read = sectors,
  ): Promise<OperationResult<SavedImage>> {
    const out = await file.createWritable();
    await out.write({ type: 'write', position: 0, data: new Uint8Array(sectors * 2048) });
    await out.close();
    return { ok: true, value: savedImage(sectors, read, resumed, this.badSectors) };
  }

  async resumeSaveToFile(
    id: string,
    token: string,
    changes: Pick<SaveOptions, 'continuePastErrors' | 'retries'>,
  ): Promise<OperationResult<SavedImage>> {
    const failed = this.#record('resumeSaveToFile', id, token, changes);
    if (failed) return withOperationFields(await failed);
    const waiting = this.#waitingSave;
    if (!waiting || waiting.token !== token)
      return withOperationFields({
        ok: false,
        error: error('E_INVALIDARG', 'This save can no longer be resumed.'),
      });
    this.#waitingSave = null;
    if (changes.continuePastErrors) this.badSectors = 1;
    return this.#savedInto(waiting.file, 300, true, 300 - waiting.readSectors);
  }

  async discardSave(token: string): Promise<Result<void>> {
    const failed = this.#record('discardSave', token);
    if (failed) return failed;
    if (this.#waitingSave?.token === token) this.#waitingSave = null;
    return { ok: true, value: undefined };
  }

  verifyDisc(id: string, against: VerifyAgainst) {
    return this.#record('verifyDisc', id, against) ?? ok(this.verifyReport);
  }

  /** copyDisc: reading progress for `fromId`, then a report of both sides (the other drive's disc is not modelled). */
  async copyDisc(
    fromId: string,
    toId: string,
    save: SaveOptions,
    burn: BurnOptions,
  ): Promise<OperationResult<CopyReport>> {
    const failed = this.#record('copyDisc', fromId, toId, save, burn);
    if (failed) return withOperationFields(await failed);
    if (fromId === toId)
      return withOperationFields({
        ok: false,
        error: error(
          'E_INVALIDARG',
          'Copying onto the same drive needs the disc changed in between.',
        ),
      });
    const sectors = 300;
    const step = (fraction: number): Progress => ({
      action: 'reading',
      fraction,
      elapsedMs: fraction * 4000,
      remainingMs: (1 - fraction) * 4000,
      startLba: 0,
      sectorCount: sectors,
      position: Math.round(fraction * sectors),
      badSectors: 0,
      bytesPerSecond: 4_500_000,
    });
    if (await this.#steps(fromId, burn.clientName, [step(0.5), step(1)]))
      return withOperationFields({
        ok: false,
        error: error('E_IMAPI_REQUEST_CANCELLED', 'The copy was cancelled.'),
      });
    const read = savedImage(sectors, sectors, false, 0);
    return {
      ok: true,
      value: {
        save: read,
        burn: {
          startLba: 0,
          sectorCount: sectors,
          lastWrittenLba: sectors - 1,
          durationMs: 5000,
          verify: burn.verify ?? 'none',
          sha256: burn.verify === 'full' ? read.sha256 : null,
          simulated: false,
          writeType: 'tao',
          speedKBps: null,
          closed: false,
          disc: { ...blankCdR, status: 'appendable', freeBlocks: blankCdR.freeBlocks - sectors },
        },
      },
    };
  }
}
