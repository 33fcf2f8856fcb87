import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import type { ErrorValue, RecorderEvent } from '../../../contract/api.ts';
import { VIRTUAL_ID } from '../../../contract/virtual.ts';
import { FileDropController } from '../../controllers/file-drop.ts';
import type { PlanApi } from '../../controllers/file-project.ts';
import type { SessionApi } from '../../controllers/disc-session.ts';
import { ActionArea, RecordersController } from '../../controllers/recorders.ts';
import { TraceBufferController } from '../../controllers/trace-buffer.ts';
import { UsbController, defaultUsb, type UsbLike } from '../../controllers/usb.ts';
import { WorkerEventsController } from '../../controllers/worker-events.ts';
import type { BrowseApi, UiApi, VerifyApi } from '../../lib/api.ts';
import {
  DialogName,
  RecorderAction,
  WdAcquireEvent,
  WdBurnEvent,
  WdBurnFilesEvent,
  WdCancelEvent,
  WdClearResultEvent,
  WdResumeSaveEvent,
  WdClearTraceEvent,
  WdCloseDialogEvent,
  WdConnectUsbEvent,
  WdDismissEvent,
  WdEraseEvent,
  WdInsertImageEvent,
  WdInsertMediaEvent,
  WdOpenDialogEvent,
  WdRecorderActionEvent,
  WdReloadEvent,
  WdSaveDiscEvent,
  WdSelectDriveEvent,
  WdVirtualEjectButtonEvent,
} from '../../lib/events.ts';
import { formatBytes } from '../../lib/format.ts';
import { usbProblemOf, type UsbProblem } from '../../lib/usb-problems.ts';
import {
  copyTarget,
  pageDiscSaveEnv,
  type CopyTarget,
  type DiscSaveEnv,
} from '../../lib/save-disc.ts';
import { toErrorValue } from '../../lib/errors.ts';
import '../wd-burn-dialog/wd-burn-dialog.ts';
import '../wd-drive-list/wd-drive-list.ts';
import '../wd-drive-panel/wd-drive-panel.ts';
import '../wd-erase-dialog/wd-erase-dialog.ts';
import '../wd-browse-dialog/wd-browse-dialog.ts';
import { WdCopyDiscEvent } from '../wd-copy-dialog/wd-copy-dialog.ts';
import { WdCopyActionEvent } from '../wd-copy-panel/wd-copy-panel.ts';
import '../wd-files-dialog/wd-files-dialog.ts';
import '../wd-save-dialog/wd-save-dialog.ts';
import '../wd-verify-dialog/wd-verify-dialog.ts';
import '../wd-lock-panel/wd-lock-panel.ts';
import '../wd-home/wd-home.ts';
import '../wd-media-panel/wd-media-panel.ts';
import '../wd-operation-log/wd-operation-log.ts';
import '../wd-progress/wd-progress.ts';
import '../wd-trace-log/wd-trace-log.ts';
import '../wd-update-banner/wd-update-banner.ts';
import '../wd-usb-notice/wd-usb-notice.ts';
import { styles } from './wd-app.styles.ts';

/** The worker calls the shell makes; tests may pass a fake with only some of them. */
export type AppSource = Partial<UiApi>;

/** A file the app was opened with (file_handlers / launchQueue). */
export interface OpenedFile {
  readonly name: string;
  readonly size: number;
  /** The file itself, for the burn dialog. */
  readonly file?: File;
}

const logo = svg`<svg viewBox="0 0 64 64" width="36" height="36" aria-hidden="true" focusable="false">
  <rect width="64" height="64" rx="13" fill="#1356c4" />
  <circle cx="32" cy="32" r="22.5" fill="#e3eaf5" stroke="#7d8aa3" stroke-width="1.5" />
  <circle cx="32" cy="32" r="7" fill="#c9d3e3" stroke="#7d8aa3" stroke-width="1.2" />
  <circle cx="32" cy="32" r="3.2" fill="#1356c4" />
  <circle cx="48.3" cy="48.3" r="6.4" fill="#e53935" stroke="#fff" stroke-width="1.6" />
</svg>`;

/**
 * The application shell: the drive list and the panels for the selected
 * drive. State lives in controllers (recorders, worker events, USB, trace);
 * panels get plain values and answer with typed events, which the shell
 * turns into worker calls.
 */
export class WdApp extends LitElement {
  static override styles = styles;
  static override properties = {
    source: { attribute: false },
    needRefresh: { type: Boolean, attribute: 'need-refresh' },
    offlineReady: { type: Boolean, attribute: 'offline-ready' },
    reloading: { state: true },
    usbProblem: { state: true },
    openedFiles: { attribute: false },
    dialog: { state: true },
    burnFile: { state: true },
    copy: { state: true },
  };

  /** Injected by main.ts (the Comlink proxy) or by tests (a fake). */
  declare source: AppSource | undefined;
  /** A new service worker is waiting (virtual:pwa-register's onNeedRefresh). */
  declare needRefresh: boolean;
  /** The app is cached for offline use. */
  declare offlineReady: boolean;
  declare reloading: boolean;
  /** Why the last USB connect failed, when it is a case people can fix. */
  declare usbProblem: UsbProblem | null;
  declare openedFiles: readonly OpenedFile[];
  /** The erase or burn dialog that is open, if any. */
  declare dialog: DialogName | null;
  /** The image handed to the burn dialog: dropped on the app or opened with it. */
  declare burnFile: File | null;
  /** "Copy disc…" with one drive: the disc read into a temporary file, to burn onto a blank one. */
  declare copy: File | null;
  /** Where saves and copies go (the page's pickers and OPFS; tests replace it). */
  saveEnv: DiscSaveEnv | undefined;
  /** Activates the waiting service worker and reloads (set by main.ts). */
  updateServiceWorker: ((reload?: boolean) => Promise<void>) | undefined;
  /** navigator.usb, or a fake in tests. */
  usb: UsbLike | undefined = defaultUsb();

  readonly recorders = new RecordersController(this, () => this.#api());
  readonly trace = new TraceBufferController(this);
  readonly events = new WorkerEventsController(
    this,
    () => this.#api(),
    (event) => this.#onWorkerEvent(event),
  );
  readonly usbDevices = new UsbController(
    this,
    () => this.usb,
    () => void this.recorders.refreshUsb(),
  );
  readonly drop = new FileDropController(this, (file) => this.openBurnDialog(file));
  #started: AppSource | undefined;
  /**
   * The files dialog's worker call. A plain object, never the Comlink proxy
   * itself: Lit reads marker properties on bound values, which a proxy would
   * answer with remote calls.
   */
  readonly #planApi: PlanApi & SessionApi = {
    planFileImage: (root, options) => {
      const api = this.#api();
      return api
        ? api.planFileImage(root, options)
        : Promise.reject(new Error('The recorder service is not running.'));
    },
    planFileSession: (id, root, options, append) =>
      this.#need().planFileSession(id, root, options, append),
    walkSessionFiles: (id) => this.#need().walkSessionFiles(id),
  };

  /** The file browser's and the verify dialog's worker calls (plain objects, as #planApi). */
  readonly #browseApi: BrowseApi & VerifyApi = {
    listDiscFiles: (source, path) => this.#need().listDiscFiles(source, path),
    walkDiscFiles: (source, path) => this.#need().walkDiscFiles(source, path),
    readDiscFile: (source, path) => this.#need().readDiscFile(source, path),
    verifyDisc: (id, against) => this.recorders.verifyLogged(id, against),
  };

  #need(): UiApi {
    const api = this.#api();
    if (!api) throw new Error('The recorder service is not running.');
    return api;
  }

  constructor() {
    super();
    this.source = undefined;
    this.needRefresh = false;
    this.offlineReady = false;
    this.reloading = false;
    this.usbProblem = null;
    this.openedFiles = [];
    this.dialog = null;
    this.burnFile = null;
    this.copy = null;
    this.updateServiceWorker = undefined;
    this.#listen();
  }

  /** The full API when the source has it (the worker); undefined for a partial fake. */
  #api(): UiApi | undefined {
    const s = this.source;
    return s && typeof s.listRecorders === 'function' ? (s as UiApi) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('source') && this.source && this.source !== this.#started) {
      this.#started = this.source;
      void this.#start();
    }
    // An .iso the installed app was opened with (file_handlers): straight to the burn dialog.
    if (changed.has('openedFiles')) {
      const before = (changed.get('openedFiles') as readonly OpenedFile[] | undefined) ?? [];
      const added = this.openedFiles.filter((f) => !before.includes(f) && f.file);
      const last = added.at(-1)?.file;
      if (last) this.openBurnDialog(last);
    }
  }

  /** Opens the burn dialog, with `file` as its image when given. */
  openBurnDialog(file?: File): void {
    if (file) this.burnFile = file;
    this.dialog = DialogName.Burn;
  }

  async #start(): Promise<void> {
    if (!this.#api()) return;
    await this.events.subscribe();
    await this.recorders.start();
  }

  /**
   * The recorder service did not answer at all (the worker failed to start or
   * died): one alert, the message's first line only, never a stack trace.
   */
  #serviceFailure() {
    const e = this.recorders.serviceError;
    return e ? html`<p role="alert">Worker failed: ${e.message}</p>` : nothing;
  }

  #onWorkerEvent(event: RecorderEvent): void {
    if (event.type === 'trace') this.trace.add(event.entry);
    else this.recorders.handleEvent(event);
  }

  #listen(): void {
    const r = this.recorders;
    this.addEventListener(WdSelectDriveEvent.type, (e) => {
      this.usbProblem = null;
      void r.select(e.recorderId);
    });
    this.addEventListener(WdConnectUsbEvent.type, () => void this.connectUsb());
    this.addEventListener(WdInsertMediaEvent.type, (e) => void r.insertVirtualMedia(e.mediaName));
    this.addEventListener(WdInsertImageEvent.type, (e) => void r.insertVirtualImage(e.image));
    this.addEventListener(WdVirtualEjectButtonEvent.type, () => void r.pressVirtualEjectButton());
    this.addEventListener(
      WdAcquireEvent.type,
      (e) => void r.acquire(e.recorderId, e.force, e.clientName),
    );
    this.addEventListener(WdRecorderActionEvent.type, (e) => {
      const id = e.recorderId;
      switch (e.action) {
        case RecorderAction.Release:
          return void r.release(id);
        case RecorderAction.UnlockTray:
          return void r.unlockTray(id);
        case RecorderAction.Eject:
          return void r.eject(id);
        case RecorderAction.CloseTray:
          return void r.closeTray(id);
        case RecorderAction.Refresh:
          return void r.refresh(id);
      }
    });
    this.addEventListener(WdCancelEvent.type, (e) => void r.cancel(e.recorderId));
    this.addEventListener(WdOpenDialogEvent.type, (e) => {
      if (e.recorderId !== r.selectedId) return;
      // One drive: copying starts at once; with more, the copy dialog asks onto which.
      if (e.dialog === DialogName.Copy && r.recorders.length < 2) void this.copyDisc(e.recorderId);
      else this.dialog = e.dialog;
    });
    this.addEventListener(WdCopyDiscEvent.type, (e) => {
      this.dialog = null;
      if (!e.toId) return void this.copyDisc(e.recorderId);
      const options = { clientName: 'webdisc', verify: e.verify ? 'full' : 'none' } as const;
      void this.#operate(r.copyBetween(e.recorderId, e.toId, options));
    });
    this.addEventListener(WdCopyActionEvent.type, (e) => {
      if (e.action === 'discard') this.copy = null;
      else if (this.copy) this.openBurnDialog(this.copy);
    });
    this.addEventListener(WdCloseDialogEvent.type, (e) => {
      const addFiles = e.dialog === DialogName.Files && this.dialog === DialogName.AddFiles;
      if (this.dialog === e.dialog || addFiles) this.dialog = null;
    });
    this.addEventListener(WdEraseEvent.type, (e) => {
      this.dialog = null;
      void this.#operate(r.erase(e.recorderId, e.options));
    });
    this.addEventListener(WdBurnEvent.type, (e) => {
      this.dialog = null;
      void this.#operate(r.burn(e.recorderId, e.file, e.options));
    });
    this.addEventListener(WdBurnFilesEvent.type, (e) => {
      this.dialog = null;
      void this.#operate(
        r.burnFiles(e.recorderId, e.root, e.image, e.options, e.summary, e.append),
      );
    });
    this.addEventListener(WdSaveDiscEvent.type, (e) => {
      this.dialog = null;
      void this.#operate(r.saveDisc(e.recorderId, e.imageTarget, e.options));
    });
    this.addEventListener(WdResumeSaveEvent.type, async (e) => {
      await this.#operate(r.resumeSave(e.recorderId, { continuePastErrors: e.continuePastErrors }));
      await this.#copyRead(e.recorderId);
    });
    this.addEventListener(WdClearResultEvent.type, (e) => r.clearResult(e.recorderId));
    this.addEventListener(WdClearTraceEvent.type, () => this.trace.clear());
    this.addEventListener(WdReloadEvent.type, () => void this.#reload());
    this.addEventListener(WdDismissEvent.type, (e) => {
      const from = e.composedPath()[0];
      if (from instanceof HTMLElement && from.localName === 'wd-update-banner')
        this.needRefresh = false;
      else this.usbProblem = null;
    });
  }

  /**
   * After a dialog hands over its operation: focus the progress panel (the
   * button that opened the dialog is disabled while the operation runs, so
   * focus would otherwise fall back to the page) and bring it into view.
   */
  async #operate(running: Promise<void>): Promise<void> {
    await this.updateComplete;
    const progress = this.renderRoot.querySelector('wd-progress');
    if (progress) {
      await progress.updateComplete;
      progress.focusHeading();
      progress.scrollIntoView({ block: 'nearest' });
    }
    await running;
  }

  async #reload(): Promise<void> {
    this.reloading = true;
    try {
      if (this.updateServiceWorker) await this.updateServiceWorker(true);
      else location.reload();
    } catch {
      location.reload();
    }
  }

  /**
   * "Copy disc…" with one drive: the disc is saved into a temporary OPFS
   * file (the same save, progress and Cancel); then the copy panel waits for
   * a blank disc and burns it through the burn dialog.
   */
  async copyDisc(id: string): Promise<void> {
    const r = this.recorders;
    let target;
    try {
      target = await copyTarget((this.saveEnv ??= pageDiscSaveEnv()), 'Copy of the disc.iso');
    } catch (error) {
      r.status = `Copy disc: ${toErrorValue(error).message}`;
      this.requestUpdate();
      return;
    }
    this.copy = null;
    this.#copyTarget = target;
    await this.#operate(r.saveDisc(id, target, { newestVolumeFirst: true }));
    await this.#copyRead(id);
  }

  /** A one-drive copy's temporary image while its read may be resumed; the copy panel gets it after. */
  #copyTarget: CopyTarget | null = null;
  async #copyRead(id: string): Promise<void> {
    const op = this.recorders.operation(id);
    if (op?.kind !== 'save' || !op.result?.ok || op.delivered !== 'kept' || !this.#copyTarget)
      return;
    this.copy = await this.#copyTarget.image();
    this.#copyTarget = null;
    this.recorders.status = 'The disc is copied; insert a blank disc, then burn the copy.';
  }

  /** "Connect a USB drive": the chooser, then the worker picks up the grant. */
  async connectUsb(): Promise<void> {
    this.usbProblem = null;
    this.recorders.status = '';
    const outcome = await this.usbDevices.request();
    if (outcome.kind === 'cancelled') {
      this.recorders.status = 'No drive was chosen.';
      this.requestUpdate();
      return;
    }
    if (outcome.kind === 'failed') {
      this.#showUsbError(outcome.error);
      return;
    }
    const result = await this.recorders.refreshUsb();
    if (!result.ok) {
      this.#showUsbError(result.error);
      return;
    }
    const d = outcome.device;
    const found =
      result.value.find(
        (r) =>
          r.kind === 'usb' &&
          r.vendorId === d.vendorId &&
          r.productId === d.productId &&
          (r.serial ?? null) === (d.serialNumber ?? null),
      ) ??
      result.value.find(
        (r) => r.kind === 'usb' && r.vendorId === d.vendorId && r.productId === d.productId,
      );
    if (found) {
      this.recorders.status = `Connected ${found.name}.`;
      await this.recorders.select(found.id);
    } else {
      this.recorders.status = `${d.productName ?? 'The drive'} was granted, but the recorder service did not list it.`;
      this.requestUpdate();
    }
  }

  #showUsbError(error: ErrorValue): void {
    this.usbProblem = usbProblemOf(error);
    if (!this.usbProblem) {
      this.recorders.recordersError = error;
      this.requestUpdate();
    }
  }

  /** The USB problem to explain: the last connect's, or one the selected drive's reads hit. */
  #currentUsbProblem(): UsbProblem | null {
    if (this.usbProblem) return this.usbProblem;
    const r = this.recorders;
    if (r.selected.kind !== 'usb') return null;
    for (const e of [r.info().error, r.media().error, r.lock().error, r.recordersError]) {
      const p = e ? usbProblemOf(e) : null;
      if (p) return p;
    }
    return null;
  }

  #traceAbout(): string[] {
    const info = this.recorders.info().value;
    const lines = [`Browser: ${navigator.userAgent}`];
    if (info) {
      const id = info.identity;
      lines.unshift(`Drive: ${id.vendor} ${id.product} ${id.revision} (${info.summary.id})`);
    }
    return lines;
  }

  /** "ASUS SDRW-08U9M-U", with the drive's own INQUIRY identity when it says more. */
  #driveName(): string {
    const r = this.recorders;
    const name = r.selected.name;
    const id = r.info().value?.identity;
    if (!id) return name;
    const inquiry = `${id.vendor} ${id.product}`.trim();
    return name.toLowerCase().includes(id.product.toLowerCase()) ? name : `${name} (${inquiry})`;
  }

  override render() {
    const r = this.recorders;
    const id = r.selectedId;
    const info = r.info();
    const media = r.media();
    const lock = r.lock();
    const virtual = r.virtual.value;
    const usbProblem = this.#currentUsbProblem();
    const listError =
      r.error(ActionArea.Drives, id) ??
      r.error(ActionArea.Drives, VIRTUAL_ID) ??
      (r.recordersError && !usbProblemOf(r.recordersError) ? r.recordersError : null) ??
      (r.selected.kind === 'virtual' ? r.virtual.error : null);
    const trayOpen =
      media.value?.trayOpen ?? (r.selected.kind === 'virtual' ? (virtual?.trayOpen ?? null) : null);
    const busy = r.busy();
    const driveName = this.#driveName();
    return html`
      <div class="wrap">
        <header>
          ${logo}
          <h1>webdisc</h1>
          <p class="tagline">CD, DVD and Blu-ray recorders over USB</p>
        </header>
        <wd-update-banner ?open=${this.needRefresh} ?reloading=${this.reloading}></wd-update-banner>
        ${
          this.openedFiles.length
            ? html`<section class="panel image" aria-label="Opened disc images">
                ${this.openedFiles.map(
                  (f) =>
                    html`<p class="row">
                      <span
                        >Opened disc image
                        <strong>${f.name}</strong> (${formatBytes(f.size)}).</span
                      >
                      ${
                        f.file
                          ? html`<button
                              type="button"
                              @click=${() => this.openBurnDialog(f.file)}
                              aria-label="Burn ${f.name}…"
                            >
                              Burn…
                            </button>`
                          : nothing
                      }
                    </p>`,
                )}
              </section>`
            : nothing
        }
        <p class=${r.status ? 'status' : 'status empty'} role="status" data-testid="status">
          ${r.status}
        </p>
        <main>
          <div class="column tasks">
            <wd-home
              recorder-id=${id}
              drive-name=${driveName}
              .media=${media.value}
              ?loading=${media.loading}
              .error=${media.error}
              ?busy=${busy}
              .lock=${lock.value}
              .trayOpen=${trayOpen}
              .trayError=${r.error(ActionArea.Tray)}
              ?ejecting=${r.pending.has('eject')}
              ?closing=${r.pending.has('close-tray')}
              ?eject-requested=${r.ejectRequested()}
              ?virtual=${r.selected.kind === 'virtual'}
            ></wd-home>
            <wd-copy-panel .file=${this.copy} ?busy=${busy}></wd-copy-panel>
            <wd-progress
              recorder-id=${id}
              .progress=${r.progress()}
              .operation=${r.operation()}
              ?cancelling=${r.pending.has('cancel')}
              .error=${r.error(ActionArea.Progress)}
            ></wd-progress>
          </div>
          <div class="column drives">
            <wd-drive-list
              .recorders=${r.recorders}
              selected-id=${id}
              ?usb-supported=${this.usbDevices.supported}
              ?connecting=${r.pending.has('refresh-usb')}
              .virtualState=${virtual}
              ?virtual-busy=${r.pending.has('insert-media') || r.pending.has('virtual-eject')}
              ?virtual-loading=${r.virtual.loading}
              .error=${listError}
            ></wd-drive-list>
            <wd-usb-notice
              .problem=${usbProblem}
              ?unavailable=${!this.usbDevices.supported}
            ></wd-usb-notice>
          </div>
          <wd-operation-log
            class="wide"
            .lines=${r.log.lines}
            .dropped=${r.log.dropped}
            .about=${this.#traceAbout()}
          ></wd-operation-log>
          <details class="advanced wide" data-testid="advanced">
            <summary data-testid="advanced-summary">
              <span class="summary-title">Advanced</span>
              <span class="muted"
                >exclusive access by hand, drive features and capabilities, mode pages, disc
                details, the command trace</span
              >
            </summary>
            <div class="advanced-body">
              <div class="column">
                <wd-lock-panel
                  recorder-id=${id}
                  .lock=${lock.value}
                  .error=${r.error(ActionArea.Lock) ?? lock.error}
                  ?acquiring=${r.pending.has('acquire')}
                  ?releasing=${r.pending.has('release')}
                  ?unlocking=${r.pending.has('unlock-tray')}
                  ?busy=${busy}
                ></wd-lock-panel>
                <wd-media-panel
                  .media=${media.value}
                  ?loading=${media.loading}
                  .error=${media.error}
                ></wd-media-panel>
              </div>
              <div class="column">
                <wd-drive-panel
                  recorder-id=${id}
                  .info=${info.value}
                  .currentProfileCode=${
                    media.value
                      ? media.value.present
                        ? (media.value.profile?.code ?? null)
                        : null
                      : undefined
                  }
                  ?loading=${info.loading}
                  .error=${info.error}
                ></wd-drive-panel>
              </div>
              <wd-trace-log
                class="wide"
                .entries=${this.trace.entries}
                .dropped=${this.trace.dropped}
                .limit=${this.trace.limit}
                .about=${this.#traceAbout()}
              ></wd-trace-log>
            </div>
          </details>
        </main>
        <footer>
          ${this.#serviceFailure()}
          ${
            this.events.error
              ? html`<p>Live updates are off: ${this.events.error.message}</p>`
              : nothing
          }
          ${this.offlineReady ? html`<p data-testid="offline-ready">Works offline.</p>` : nothing}
        </footer>
      </div>
      <wd-erase-dialog
        ?open=${this.dialog === DialogName.Erase}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .lock=${lock.value}
        ?busy=${busy}
      ></wd-erase-dialog>
      <wd-burn-dialog
        ?open=${this.dialog === DialogName.Burn}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .info=${info.value}
        .lock=${lock.value}
        .file=${this.burnFile}
        ?busy=${busy}
      ></wd-burn-dialog>
      <wd-files-dialog
        ?open=${this.dialog === DialogName.Files || this.dialog === DialogName.AddFiles}
        ?add-to-disc=${this.dialog === DialogName.AddFiles}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .info=${info.value}
        .lock=${lock.value}
        .api=${this.#planApi}
        ?busy=${busy}
      ></wd-files-dialog>
      <wd-save-dialog
        ?open=${this.dialog === DialogName.Save}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .api=${this.#browseApi}
        ?busy=${busy}
      ></wd-save-dialog>
      <wd-copy-dialog
        ?open=${this.dialog === DialogName.Copy}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .recorders=${r.recorders}
        ?busy=${busy}
      ></wd-copy-dialog>
      <wd-browse-dialog
        ?open=${this.dialog === DialogName.Browse}
        recorder-id=${id}
        .api=${this.#browseApi}
      ></wd-browse-dialog>
      <wd-verify-dialog
        ?open=${this.dialog === DialogName.Verify}
        recorder-id=${id}
        drive-name=${driveName}
        .media=${media.value}
        .api=${this.#browseApi}
        ?busy=${busy}
      ></wd-verify-dialog>
      ${
        this.drop.dragging
          ? html`<div class="drop-hint" aria-hidden="true">Drop a disc image to burn it</div>`
          : nothing
      }
    `;
  }
}

customElements.define('wd-app', WdApp);

declare global {
  interface HTMLElementTagNameMap {
    'wd-app': WdApp;
  }
}
