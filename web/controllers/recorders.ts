import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type {
  BurnOptions,
  DiscVerifyReport,
  EraseOptions,
  ErrorValue,
  FileImageOptions,
  FileTreeEntry,
  LockState,
  MediaState,
  Progress,
  RecorderEvent,
  RecorderInfo,
  RecorderSummary,
  Result,
  SaveOptions,
  SavedImage,
  VerifyAgainst,
  VirtualDriveState,
} from '../../contract/api.ts';
import type { ImageTarget } from '../lib/save-disc.ts';
import type { UiApi } from '../lib/api.ts';
import {
  settle,
  settleOperation,
  toErrorValue,
  toOperationFailure,
  type OperationResult,
} from '../lib/errors.ts';
import { VIRTUAL_ID, VIRTUAL_RECORDER_NAME, virtualMediaLabel } from '../../contract/virtual.ts';
import type { FilesBurnSummary } from '../lib/events.ts';
import { formatBytes } from '../lib/format.ts';
import { theMedium } from '../lib/media.ts';
import { OperationLog, logVerify } from '../lib/operation-log.ts';
import { discWords } from '../lib/disc-words.ts';
import {
  outcomeStatus,
  type BurnOperation,
  type EraseOperation,
  type CopyOperation,
  type Operation,
  type SaveOperation,
} from '../lib/operations.ts';

export { VIRTUAL_ID };

/** Shown until (and whether or not) the worker lists the virtual recorder itself. */
export const VIRTUAL_SUMMARY: RecorderSummary = {
  id: VIRTUAL_ID,
  name: VIRTUAL_RECORDER_NAME,
  kind: 'virtual',
  vendorId: 0,
  productId: 0,
  serial: null,
};

/** One value read from the worker: the last good value, the last error, and whether a read runs. */
export interface Slot<T> {
  readonly value: T | null;
  readonly error: ErrorValue | null;
  readonly loading: boolean;
}

export const EMPTY_SLOT: Slot<never> = { value: null, error: null, loading: false };

/** Where an action's refusal is shown. */
export const ActionArea = {
  Drives: 'drives',
  Lock: 'lock',
  Tray: 'tray',
  Progress: 'progress',
} as const;
export type ActionArea = (typeof ActionArea)[keyof typeof ActionArea];

/** Pending actions, for busy buttons. */
export type ActionName =
  | 'acquire'
  | 'release'
  | 'unlock-tray'
  | 'eject'
  | 'close-tray'
  | 'insert-media'
  | 'virtual-eject'
  | 'refresh-usb'
  | 'refresh'
  | 'cancel';

/**
 * The app's model of the recorders: the list, the selected one, and for each
 * its info, media and lock state, kept live from RecorderEvents. Every call
 * goes through `settle`, so a failed or missing worker method becomes an
 * error value on screen and never an exception.
 */
export class RecordersController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #api: () => UiApi | undefined;

  recorders: readonly RecorderSummary[] = [VIRTUAL_SUMMARY];
  recordersError: ErrorValue | null = null;
  /**
   * Listing the recorders, the first call after subscribing, got no answer:
   * the call rejected (the worker failed to start or died) rather than
   * resolving to a Result.
   */
  serviceError: ErrorValue | null = null;
  selectedId: string = VIRTUAL_ID;
  readonly #info = new Map<string, Slot<RecorderInfo>>();
  readonly #media = new Map<string, Slot<MediaState>>();
  readonly #lock = new Map<string, Slot<LockState>>();
  readonly #progress = new Map<string, Progress>();
  /** The erase or burn running, or the last one that ended, per recorder. */
  readonly #operations = new Map<string, Operation>();
  /** Where a save that failed part way goes once resumed (see resumeSave). */
  readonly #saveTargets = new Map<string, ImageTarget>();
  readonly #errors = new Map<string, Partial<Record<ActionArea, ErrorValue>>>();
  /** Recorders whose eject button was pressed while locked (MCN eject request). */
  readonly #ejectRequests = new Set<string>();
  virtual: Slot<VirtualDriveState> = EMPTY_SLOT;
  readonly pending = new Set<ActionName>();
  /** A short status line for screen readers and sighted people. */
  status = '';
  /** What each job did, for people and bug reports (lib/operation-log.ts). */
  readonly log = new OperationLog();

  constructor(host: ReactiveControllerHost, api: () => UiApi | undefined) {
    this.#host = host;
    this.#api = api;
    host.addController(this);
  }

  /** The host calls `start` once it has an API. */
  hostConnected(): void {}

  /** Lists the recorders and reads the selected one. */
  async start(): Promise<void> {
    await this.loadRecorders();
    await this.select(this.selectedId);
  }

  get selected(): RecorderSummary {
    return this.recorders.find((r) => r.id === this.selectedId) ?? VIRTUAL_SUMMARY;
  }

  info(id = this.selectedId): Slot<RecorderInfo> {
    return this.#info.get(id) ?? EMPTY_SLOT;
  }
  media(id = this.selectedId): Slot<MediaState> {
    return this.#media.get(id) ?? EMPTY_SLOT;
  }
  lock(id = this.selectedId): Slot<LockState> {
    return this.#lock.get(id) ?? EMPTY_SLOT;
  }
  progress(id = this.selectedId): Progress | null {
    return this.#progress.get(id) ?? null;
  }
  operation(id = this.selectedId): Operation | null {
    return this.#operations.get(id) ?? null;
  }
  /** An erase or burn runs on the recorder: its erase, burn and eject buttons wait. */
  busy(id = this.selectedId): boolean {
    return this.#operations.get(id)?.running ?? false;
  }
  error(area: ActionArea, id = this.selectedId): ErrorValue | null {
    return this.#errors.get(id)?.[area] ?? null;
  }
  ejectRequested(id = this.selectedId): boolean {
    return this.#ejectRequests.has(id);
  }

  #setError(id: string, area: ActionArea, error: ErrorValue | null): void {
    const errors = { ...this.#errors.get(id) };
    if (error) errors[area] = error;
    else delete errors[area];
    this.#errors.set(id, errors);
  }

  #update(): void {
    this.#host.requestUpdate();
  }

  async #call<T>(call: (api: UiApi) => Promise<Result<T>>): Promise<Result<T>> {
    const api = this.#api();
    if (!api)
      return { ok: false, error: toErrorValue(new Error('The recorder service is not running.')) };
    return settle(() => call(api));
  }

  async #load<T>(
    map: Map<string, Slot<T>>,
    id: string,
    call: (api: UiApi) => Promise<Result<T>>,
  ): Promise<void> {
    const before = map.get(id) ?? EMPTY_SLOT;
    map.set(id, { ...before, loading: true });
    this.#update();
    const result = await this.#call(call);
    map.set(
      id,
      result.ok
        ? { value: result.value, error: null, loading: false }
        : { value: before.value, error: result.error, loading: false },
    );
    this.#update();
  }

  #setRecorders(list: readonly RecorderSummary[]): void {
    const virtual = list.find((r) => r.kind === 'virtual');
    this.recorders = virtual
      ? [virtual, ...list.filter((r) => r !== virtual)]
      : [VIRTUAL_SUMMARY, ...list];
    if (!this.recorders.some((r) => r.id === this.selectedId)) {
      this.status = 'The selected drive went away; showing the virtual recorder.';
      void this.select(VIRTUAL_ID);
    }
    this.#update();
  }

  async loadRecorders(): Promise<void> {
    let answered = false;
    const result = await this.#call(async (api) => {
      const listed = await api.listRecorders();
      answered = true;
      return listed;
    });
    this.serviceError = answered || result.ok ? null : result.error;
    this.#takeList(result);
  }

  /** A list from the worker: the drives, or why there is none. */
  #takeList(result: Result<readonly RecorderSummary[]>): void {
    if (result.ok) {
      this.recordersError = null;
      this.#setRecorders(result.value);
    } else {
      this.recordersError = result.error;
      this.#update();
    }
  }

  /** After a USB grant or a hot-plug: the worker picks up the devices with getDevices(). */
  async refreshUsb(): Promise<Result<readonly RecorderSummary[]>> {
    this.pending.add('refresh-usb');
    this.#update();
    const result = await this.#call((api) => api.refreshUsbDevices());
    this.pending.delete('refresh-usb');
    this.#takeList(result);
    this.#update();
    return result;
  }

  async select(id: string): Promise<void> {
    this.selectedId = id;
    this.#update();
    await this.refresh(id);
  }

  /** Re-reads a recorder's info, media and lock (and the virtual drive's state). */
  async refresh(id = this.selectedId): Promise<void> {
    const reads: Promise<void>[] = [
      this.#load(this.#info, id, (api) => api.getInfo(id)),
      this.#load(this.#media, id, (api) => api.getMedia(id)),
      this.#load(this.#lock, id, (api) => api.getLockState(id)),
    ];
    if (id === VIRTUAL_ID) reads.push(this.loadVirtual());
    await Promise.all(reads);
  }

  async loadVirtual(): Promise<void> {
    this.virtual = { ...this.virtual, loading: true };
    this.#update();
    const result = await this.#call((api) => api.virtualState());
    this.virtual = result.ok
      ? { value: result.value, error: null, loading: false }
      : { value: this.virtual.value, error: result.error, loading: false };
    this.#update();
  }

  /** Runs one action: marks it pending, shows its refusal in `area`, clears the area on success. */
  async #act<T>(
    name: ActionName,
    area: ActionArea,
    id: string,
    call: (api: UiApi) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    this.pending.add(name);
    this.#update();
    const result = await this.#call(call);
    this.pending.delete(name);
    this.#setError(id, area, result.ok ? null : result.error);
    this.#update();
    return result;
  }

  #applyLock(id: string, lock: LockState): void {
    this.#lock.set(id, { value: lock, error: null, loading: false });
  }

  async acquire(id: string, force: boolean, clientName: string): Promise<void> {
    const result = await this.#act('acquire', ActionArea.Lock, id, (api) =>
      api.acquireExclusiveAccess(id, force, clientName),
    );
    if (result.ok) {
      this.#applyLock(id, result.value);
      this.status = `Exclusive access acquired as “${clientName}” (lock count ${result.value.count}).`;
      this.#update();
    }
  }

  async release(id: string): Promise<void> {
    const result = await this.#act('release', ActionArea.Lock, id, (api) =>
      api.releaseExclusiveAccess(id),
    );
    if (result.ok) {
      this.#applyLock(id, result.value);
      this.status =
        result.value.count > 0
          ? `Released once; lock count ${result.value.count}.`
          : 'Exclusive access released.';
      this.#update();
    }
  }

  async unlockTray(id: string): Promise<void> {
    const result = await this.#act('unlock-tray', ActionArea.Lock, id, (api) => api.unlockTray(id));
    if (result.ok) {
      this.status = 'Tray unlocked.';
      await this.#load(this.#lock, id, (api) => api.getLockState(id));
    }
  }

  async eject(id: string): Promise<void> {
    const result = await this.#act('eject', ActionArea.Tray, id, (api) => api.ejectMedia(id));
    if (result.ok) {
      this.#ejectRequests.delete(id);
      this.status = 'Tray opened.';
      await this.#afterTray(id);
    }
  }

  async closeTray(id: string): Promise<void> {
    const result = await this.#act('close-tray', ActionArea.Tray, id, (api) => api.closeTray(id));
    if (result.ok) {
      this.status = 'Tray closed.';
      await this.#afterTray(id);
    }
  }

  async #afterTray(id: string): Promise<void> {
    const reads = [this.#load(this.#media, id, (api) => api.getMedia(id))];
    if (id === VIRTUAL_ID) reads.push(this.loadVirtual());
    await Promise.all(reads);
  }

  async insertVirtualMedia(name: string): Promise<void> {
    const result = await this.#act('insert-media', ActionArea.Drives, VIRTUAL_ID, (api) =>
      api.virtualInsertMedia(name),
    );
    if (result.ok) {
      this.virtual = { value: result.value, error: null, loading: false };
      await this.#mediaChanged(VIRTUAL_ID);
      // The disc as people name it ("Blank DVD+R, …"), not the drive's key ("dvd+r").
      this.status = `Inserted in the virtual recorder: ${discWords(this.media(VIRTUAL_ID).value)}.`;
      this.#update();
    }
  }

  /** "Insert an image as a disc": the image becomes a finished disc in the virtual drive. */
  async insertVirtualImage(file: File): Promise<void> {
    const result = await this.#act('insert-media', ActionArea.Drives, VIRTUAL_ID, (api) =>
      api.virtualInsertImage(file),
    );
    if (result.ok) {
      this.virtual = { value: result.value, error: null, loading: false };
      this.status = `Inserted ${file.name} into the virtual recorder as a finished ${virtualMediaLabel(result.value.media)}.`;
      await this.#mediaChanged(VIRTUAL_ID);
    }
  }

  async pressVirtualEjectButton(): Promise<void> {
    const result = await this.#act('virtual-eject', ActionArea.Drives, VIRTUAL_ID, (api) =>
      api.virtualPressEjectButton(),
    );
    if (result.ok) {
      this.virtual = { value: result.value, error: null, loading: false };
      await this.#mediaChanged(VIRTUAL_ID);
    }
  }

  /** A new medium changes the current profile (and its features): re-read media and info. */
  async #mediaChanged(id: string, readMedia = true): Promise<void> {
    const reads = [this.#load(this.#info, id, (api) => api.getInfo(id))];
    if (readMedia) reads.push(this.#load(this.#media, id, (api) => api.getMedia(id)));
    await Promise.all(reads);
  }

  /** IDiscFormat2Erase::EraseMedia: progress, then the result in the progress panel. */
  async erase(id: string, options: EraseOptions): Promise<void> {
    const full = options.full ?? false;
    const op: EraseOperation = {
      kind: 'erase',
      title: `Erasing ${theMedium(this.media(id).value)} (${full ? 'full' : 'quick'})`,
      running: true,
      cancelRequested: false,
      full,
      result: null,
    };
    await this.#operate(
      id,
      op,
      (api) => api.eraseMedia(id, options),
      (result) => ({
        ...op,
        running: false,
        result,
      }),
    );
  }

  /**
   * IDiscFormat2Data::Write with the File itself as the source: a File
   * structured-clones into the worker (the bytes are not copied), which reads
   * it sector by sector as it writes.
   */
  async burn(id: string, file: File, options: BurnOptions): Promise<void> {
    const op: BurnOperation = {
      kind: 'burn',
      title: `${options.simulate ? 'Test write of' : 'Burning'} ${file.name} (${formatBytes(file.size)}) to ${theMedium(this.media(id).value)}`,
      running: true,
      cancelRequested: false,
      fileName: file.name,
      fileSize: file.size,
      options,
      result: null,
    };
    await this.#operate(
      id,
      op,
      (api) => api.burnImage(id, { kind: 'blob', blob: file }, options),
      (result) => ({ ...op, running: false, result }),
    );
  }

  /**
   * Files and folders (burnImage with {kind: 'files'}): the Files go to the
   * worker as they are (structured clone), which builds the image while it
   * writes it. `summary` names it for the progress panel.
   */
  async burnFiles(
    id: string,
    root: Extract<FileTreeEntry, { kind: 'dir' }>,
    image: FileImageOptions,
    options: BurnOptions,
    summary: FilesBurnSummary,
    /** Add a session to the disc's files (issue 18). */
    append?: { readonly remove: readonly string[] },
  ): Promise<void> {
    const op: BurnOperation = {
      kind: 'burn',
      title: `${options.simulate ? 'Test write of' : 'Burning'} ${summary.title} (${formatBytes(summary.bytes)}) to ${theMedium(this.media(id).value)}`,
      running: true,
      cancelRequested: false,
      fileName: summary.title,
      fileSize: summary.bytes,
      options,
      result: null,
    };
    await this.#operate(
      id,
      op,
      (api) =>
        api.burnImage(id, { kind: 'files', root, image, ...(append ? { append } : {}) }, options),
      (result) => ({ ...op, running: false, result }),
    );
  }

  /**
   * "Save disc as image…": the worker writes the disc into `target`'s file
   * (the picked one, or a temporary one in OPFS that is then downloaded).
   */
  async saveDisc(id: string, target: ImageTarget, options: SaveOptions): Promise<void> {
    this.#discardWaitingSave(id);
    const op: SaveOperation = {
      kind: 'save',
      title: `Saving ${theMedium(this.media(id).value)} as ${target.name}`,
      running: true,
      cancelRequested: false,
      fileName: target.name,
      delivered: null,
      options,
      result: null,
    };
    await this.#runSave(id, op, target, (api) => api.saveDiscToFile(id, target.file, options));
  }

  /**
   * Goes on with the save that failed part way on this drive (its failure's
   * `resumable`): into the same file, only what it lacks, perhaps past
   * unreadable sectors now.
   */
  async resumeSave(id: string, changes: { continuePastErrors: boolean }): Promise<void> {
    const waiting = this.#waitingSave(id);
    if (!waiting) return;
    const { op: failed, token } = waiting;
    const title = `Resuming the save of ${theMedium(this.media(id).value)} as ${failed.fileName}`;
    const options = { ...failed.options, ...changes };
    const op = { ...failed, title, running: true, cancelRequested: false, options, result: null };
    await this.#runSave(id, op, this.#saveTargets.get(id)!, (api) =>
      api.resumeSaveToFile(id, token, changes),
    );
  }

  async #runSave(
    id: string,
    op: SaveOperation,
    target: ImageTarget,
    call: (api: UiApi) => Promise<OperationResult<SavedImage>>,
  ): Promise<void> {
    let delivered: SaveOperation['delivered'] = null;
    await this.#operate(
      id,
      op,
      async (api) => {
        const r = await call(api);
        if (r.ok) delivered = await target.deliver();
        // Kept (not in the file yet) until it is resumed or given up.
        if (!r.ok && r.error.resumable) this.#saveTargets.set(id, target);
        else this.#saveTargets.delete(id);
        return r;
      },
      (result) => ({ ...op, running: false, delivered, result }),
    );
  }

  /** The finished save on `id` that failed part way and can go on, with its token. */
  #waitingSave(id: string): { op: SaveOperation; token: string } | null {
    const op = this.#operations.get(id);
    if (op?.kind !== 'save' || op.running || !op.result || op.result.ok) return null;
    const token = op.result.error.resumable?.token;
    return token && this.#saveTargets.has(id) ? { op, token } : null;
  }

  /** Gives the waiting save up (its file is left as it was): Dismiss, or a new save. */
  #discardWaitingSave(id: string): void {
    const waiting = this.#waitingSave(id);
    this.#saveTargets.delete(id);
    const api = this.#api();
    if (waiting && api) void api.discardSave(waiting.token).catch(() => {});
  }

  /** Copies onto another drive's blank disc at once (copyDisc); both drives are read again after. */
  async copyBetween(fromId: string, toId: string, options: BurnOptions): Promise<void> {
    const toName = this.recorders.find((r) => r.id === toId)?.name ?? toId;
    const op: CopyOperation = {
      kind: 'copy',
      title: `Copying ${theMedium(this.media(fromId).value)} onto the disc in ${toName}`,
      running: true,
      cancelRequested: false,
      toName,
      options,
      result: null,
    };
    await this.#operate(
      fromId,
      op,
      (api) => api.copyDisc(fromId, toId, {}, options),
      (result) => ({ ...op, running: false, result }),
    );
    await this.refresh(toId);
  }

  /**
   * Runs one erase or burn: at most one per recorder in this session (the
   * worker refuses a second with E_IMAPI_DF2DATA_WRITE_IN_PROGRESS anyway),
   * then re-reads the medium, the lock and the drive's info, since the disc
   * changed and the operation took and gave back the lock.
   */
  async #operate<T>(
    id: string,
    op: Operation,
    call: (api: UiApi) => Promise<OperationResult<T>>,
    ended: (result: OperationResult<T>) => Operation,
  ): Promise<void> {
    if (this.busy(id)) return;
    this.#progress.delete(id);
    this.#setError(id, ActionArea.Progress, null);
    this.#operations.set(id, op);
    const where = this.#where(id);
    const startedAt = this.log.started(op, where);
    this.status = `${op.title}…`;
    this.#update();
    const api = this.#api();
    const result: OperationResult<T> = api
      ? await settleOperation(() => call(api))
      : {
          ok: false,
          error: toOperationFailure(new Error('The recorder service is not running.')),
        };
    const done = ended(result);
    this.#operations.set(id, done);
    this.log.ended(done, startedAt, where);
    this.status = outcomeStatus(done);
    this.#update();
    await this.refresh(id);
  }

  /** The drive and disc an operation-log entry names. */
  #where(id: string) {
    return {
      drive: this.recorders.find((r) => r.id === id)?.name ?? id,
      disc: this.media(id).value,
    };
  }

  /** verifyDisc (the verify dialog's own call), written to the operation log like the jobs here. */
  verifyLogged(id: string, against: VerifyAgainst): Promise<Result<DiscVerifyReport>> {
    const api = this.#api();
    if (!api) return Promise.reject(new Error('The recorder service is not running.'));
    this.#update();
    return logVerify(this.log, this.#where(id), against, () => api.verifyDisc(id, against)).finally(
      () => this.#update(),
    );
  }

  /** Forgets a finished operation's result (the progress panel's Dismiss). */
  clearResult(id: string): void {
    if (this.busy(id)) return;
    this.#discardWaitingSave(id);
    this.#operations.delete(id);
    this.#progress.delete(id);
    this.#setError(id, ActionArea.Progress, null);
    this.#update();
  }

  /** Cancels the running erase or burn; it then ends with E_IMAPI_REQUEST_CANCELLED. */
  async cancel(id: string): Promise<void> {
    const result = await this.#act('cancel', ActionArea.Progress, id, (api) =>
      api.cancelOperation(id),
    );
    if (result.ok) {
      const op = this.#operations.get(id);
      if (op?.running) this.#operations.set(id, { ...op, cancelRequested: true });
      this.status = 'Cancelling…';
      this.#update();
    }
  }

  /** Applies one event from the worker. */
  handleEvent(event: RecorderEvent): void {
    switch (event.type) {
      case 'recorders':
        this.#setRecorders(event.recorders);
        return;
      case 'media': {
        const before = this.#media.get(event.recorderId)?.value;
        this.#media.set(event.recorderId, { value: event.media, error: null, loading: false });
        if (event.recorderId === VIRTUAL_ID) void this.loadVirtual();
        if (
          this.#info.has(event.recorderId) &&
          (before?.present !== event.media.present ||
            before?.profile?.code !== event.media.profile?.code)
        )
          void this.#mediaChanged(event.recorderId, false);
        break;
      }
      case 'lock':
        this.#applyLock(event.recorderId, event.lock);
        if (!event.lock.busy) this.#setError(event.recorderId, ActionArea.Tray, null);
        break;
      case 'tray': {
        const media = this.#media.get(event.recorderId);
        if (media?.value)
          this.#media.set(event.recorderId, {
            ...media,
            value: { ...media.value, trayOpen: event.open },
          });
        if (event.open) this.#ejectRequests.delete(event.recorderId);
        break;
      }
      case 'eject-request':
        this.#ejectRequests.add(event.recorderId);
        break;
      case 'progress': {
        // Events travel on the listener's own port, so one can arrive after
        // the operation's result did: a finished operation keeps its final view.
        const op = this.#operations.get(event.recorderId);
        if (op && !op.running) return;
        this.#progress.set(event.recorderId, event.progress);
        break;
      }
      case 'trace':
        // The app feeds trace entries to its TraceBufferController.
        return;
    }
    this.#update();
  }

  hostDisconnected(): void {}
}
