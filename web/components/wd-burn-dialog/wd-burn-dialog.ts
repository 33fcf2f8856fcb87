import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type {
  BurnOptions,
  LockState,
  MediaState,
  RecorderInfo,
  VerifyMode,
} from '../../../contract/api.ts';
import { clientNameProblem } from '../../../contract/client-name.ts';
import {
  burnOptionFields,
  burnOptionsOf,
  offeredChoice,
  type SpeedChoice,
  burnFacts,
} from '../../lib/burn-options.ts';
import {
  driveFacts,
  heldElsewhere,
  heldElsewhereNotice,
  OPERATION_DIALOG_PROPERTIES,
} from '../../lib/dialog-parts.ts';
import { ModalDialogController } from '../../controllers/modal-dialog.ts';
import { DialogName, WdBurnEvent } from '../../lib/events.ts';
import { formatBytes } from '../../lib/format.ts';
import { SECTOR_BYTES, mediaTypeName, sectorsFor } from '../../../contract/profiles.ts';
import {
  IMAGE_KIND_BYTES,
  NOT_A_DISC_IMAGE,
  imageKind,
  type ImageKind,
} from '../../../contract/image-kind.ts';
import {
  burnTarget,
  eraseCheck,
  sameMedium,
  speedLabel,
  theMedium,
  type BurnTarget,
} from '../../lib/media.ts';
import { styles } from './wd-burn-dialog.styles.ts';

export type { SpeedChoice };

/** The image against the free space, in whole 2048-byte sectors. */
export interface Fit {
  readonly sectors: number;
  readonly free: number;
  readonly fits: boolean;
}

export function fitOf(file: File | null, target: BurnTarget): Fit | null {
  if (!file || target.problem) return null;
  const sectors = sectorsFor(file.size);
  return { sectors, free: target.freeBlocks, fits: sectors > 0 && sectors <= target.freeBlocks };
}

/**
 * Burn an image (IMAPI2's IDiscFormat2Data) as a modal dialog, in two steps.
 * First: the drive and the medium (type, status, free space), the image
 * (file input, or dropped here or on the app) with its size and whether it
 * fits by exact sector arithmetic, and the options the drive and medium
 * allow: verification, close or leave appendable, a write speed from the
 * drive's list, test write, CD track- or session-at-once, the client name.
 * Then a summary that says what will happen to the disc, and "Burn". The
 * confirmed request is a WdBurnEvent carrying the File itself.
 */
export class WdBurnDialog extends LitElement {
  static override styles = styles;
  static override properties = {
    ...OPERATION_DIALOG_PROPERTIES,
    info: { attribute: false },
    file: { attribute: false },
    verify: { state: true },
    close: { state: true },
    speed: { state: true },
    simulate: { state: true },
    writeType: { state: true },
    stage: { state: true },
    dragging: { state: true },
  };

  /** The shell opens and closes it; Escape and Cancel ask it to with a WdCloseDialogEvent. */
  declare open: boolean;
  readonly #modal = new ModalDialogController(this, DialogName.Burn);
  declare recorderId: string;
  declare driveName: string;
  declare media: MediaState | null;
  /** getInfo: the write speeds and whether the drive has test write. */
  declare info: RecorderInfo | null;
  declare lock: LockState | null;
  /** An erase or burn already runs on this recorder. */
  declare busy: boolean;
  /** The image: set by the shell (a drop on the app, the launch queue) or picked here. */
  declare file: File | null;
  declare clientName: string;
  declare verify: VerifyMode;
  /** Close the disc (no more sessions) rather than leave it appendable. */
  declare close: boolean;
  declare speed: SpeedChoice;
  declare simulate: boolean;
  declare writeType: 'tao' | 'sao';
  /** 'options' first, then 'confirm': nothing is written before the second step's Burn. */
  declare stage: 'options' | 'confirm';
  declare touched: boolean;
  declare dragging: boolean;

  constructor() {
    super();
    this.open = false;
    this.recorderId = '';
    this.driveName = '';
    this.media = null;
    this.info = null;
    this.lock = null;
    this.busy = false;
    this.file = null;
    this.clientName = 'webdisc';
    this.verify = 'quick';
    this.close = false;
    this.speed = 'max';
    this.simulate = false;
    this.writeType = 'tao';
    this.stage = 'options';
    this.touched = false;
    this.dragging = false;
  }

  get target(): BurnTarget {
    return burnTarget(this.media, this.info);
  }

  /** The options as burnImage takes them; choices the medium does not offer are left out. */
  get options(): BurnOptions {
    return burnOptionsOf(this, this.target);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Each opening starts from the options, with no complaint about the name yet.
    if (changed.has('open') && this.open) {
      this.stage = 'options';
      this.touched = false;
    }
    // A speed from another drive or medium is not on offer any more.
    if ((changed.has('info') || changed.has('media')) && this.speed !== 'max') {
      this.speed = offeredChoice(this);
    }
    // A new image or another medium: show the choices again before anything is written.
    const before = changed.get('media') as MediaState | null | undefined;
    if (changed.has('file') || (changed.has('media') && !sameMedium(before ?? null, this.media)))
      this.stage = 'options';
    if (changed.has('file') && this.file && this.#kind?.file !== this.file)
      void this.#sniff(this.file);
  }

  /** What the chosen file holds (issue 19, defect 1), read from its first 40 KiB. */
  #kind: { readonly file: File; readonly kind: ImageKind } | null = null;

  async #sniff(file: File): Promise<void> {
    let kind: ImageKind;
    try {
      kind = imageKind(new Uint8Array(await file.slice(0, IMAGE_KIND_BYTES).arrayBuffer()));
    } catch {
      return; // unreadable now: the burn itself will say so
    }
    if (this.file !== file) return; // another file was chosen meanwhile
    this.#kind = { file, kind };
    this.requestUpdate();
  }

  /** The warning for a file with no ISO 9660 or UDF file system; null for a disc image. */
  #notAnImage(file: File) {
    // An empty file has its own line ("The image is empty."): no warning about its contents too.
    return this.#kind?.file === file && this.#kind.kind === 'unknown' && file.size > 0
      ? html`<p class="warning" role="status" data-testid="not-an-image">${NOT_A_DISC_IMAGE}</p>`
      : nothing;
  }

  #onFile(e: Event) {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) this.file = file;
  }

  #onDragOver(e: DragEvent) {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  /** A file dropped on the dialog; preventDefault tells the app's own drop handler it is taken. */
  #onDrop(e: DragEvent) {
    this.dragging = false;
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    this.file = file;
  }

  /** Why "Review" cannot go on, in words; null when it can. */
  #blocker(fit: Fit | null): string | null {
    const t = this.target;
    if (t.problem) return t.problem;
    if (!this.file) return 'Choose a disc image first.';
    if (this.file.size === 0) return 'The image is empty.';
    if (fit && !fit.fits) return 'The image does not fit on the disc.';
    if (this.busy) return 'An erase or burn is running on this drive; wait for it to finish.';
    if (heldElsewhere(this.lock)) return 'Another session holds this drive.';
    return null;
  }

  #onReview(e: SubmitEvent) {
    e.preventDefault();
    this.touched = true;
    if (clientNameProblem(this.clientName)) {
      this.renderRoot.querySelector<HTMLInputElement>('#client-name')?.focus();
      return;
    }
    if (this.#blocker(fitOf(this.file, this.target))) return;
    this.stage = 'confirm';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLElement>('#confirm-title')?.focus(),
    );
  }

  #onBack() {
    this.stage = 'options';
  }

  #onBurn() {
    const fit = fitOf(this.file, this.target);
    if (!this.file || this.#blocker(fit) || clientNameProblem(this.clientName)) {
      this.stage = 'options';
      return;
    }
    this.dispatchEvent(new WdBurnEvent(this.recorderId, this.file, this.options));
  }

  override render() {
    // Closed, the <dialog> stays (showModal needs it) but holds nothing: its
    // fields would otherwise sit in the page's text and label lookups.
    return html`<dialog aria-labelledby="burn-title" @close=${this.#modal.onClose}>
      ${
        this.open
          ? html`<div class="body">
              <h2 id="burn-title">Burn a disc image</h2>
              ${this.stage === 'confirm' && this.file ? this.#confirm(this.file) : this.#form()}
            </div>`
          : nothing
      }
    </dialog>`;
  }

  #imageFacts(file: File, fit: Fit | null) {
    const padded = file.size % SECTOR_BYTES !== 0;
    return html`<dl class="facts">
        <dt>Image</dt>
        <dd data-testid="image-name">${file.name}</dd>
        <dt>Size</dt>
        <dd data-testid="image-size">
          ${formatBytes(file.size)}
          <span class="muted"
            >(${file.size.toLocaleString('en-US')} bytes,
            ${sectorsFor(file.size).toLocaleString('en-US')} sectors)</span
          >
        </dd>
      </dl>
      ${
        fit
          ? html`<p class=${fit.fits ? 'fit ok' : 'fit bad'} role="status" data-testid="fit">
              ${
                fit.fits
                  ? `Fits: ${fit.sectors.toLocaleString('en-US')} of ${fit.free.toLocaleString('en-US')} free sectors.`
                  : fit.sectors === 0
                    ? 'The image is empty.'
                    : `Does not fit: it needs ${fit.sectors.toLocaleString('en-US')} sectors; the disc has ${fit.free.toLocaleString('en-US')} free.`
              }
            </p>`
          : nothing
      }
      ${this.#notAnImage(file)}
      ${
        padded && file.size > 0
          ? html`<p class="help">
              The size is not a multiple of ${SECTOR_BYTES} bytes: the last sector is padded with
              zeros.
            </p>`
          : nothing
      }`;
  }

  #form() {
    const t = this.target;
    const file = this.file;
    const fit = fitOf(file, t);
    const blocker = this.#blocker(fit);
    return html`
      ${driveFacts(this.driveName, this.media, 'burn')}
      ${
        t.problem
          ? html`<p class="refusal" role="alert" data-testid="burn-refusal">${t.problem}</p>`
          : html`<p class="help" data-testid="burn-where">
              Writing starts at LBA ${t.startLba.toLocaleString('en-US')};
              ${t.freeBlocks.toLocaleString('en-US')} sectors are free from there.
            </p>`
      }
      <form novalidate @submit=${this.#onReview}>
        <div
          class=${this.dragging ? 'drop dragging' : 'drop'}
          @dragover=${this.#onDragOver}
          @dragleave=${() => (this.dragging = false)}
          @drop=${this.#onDrop}
        >
          <label for="image">Disc image (.iso)</label>
          <input
            id="image"
            type="file"
            accept=".iso,.img,application/x-iso9660-image,application/octet-stream"
            aria-describedby="image-help"
            @change=${this.#onFile}
          />
          <p id="image-help" class="help">Or drop an .iso file here or anywhere on the app.</p>
          ${file ? this.#imageFacts(file, fit) : nothing}
        </div>
        <div class="options">${burnOptionFields(this, t)}</div>
        ${heldElsewhereNotice(this.lock, 'Burning')}
        ${
          blocker && !t.problem && file
            ? html`<p class="help" data-testid="burn-blocker">${blocker}</p>`
            : nothing
        }
        <div class="actions">
          <button type="button" @click=${this.#modal.requestClose}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${!!blocker}>Review…</button>
        </div>
      </form>
    `;
  }

  #confirm(file: File) {
    const t = this.target;
    const o = this.options;
    const sectors = sectorsFor(file.size);
    const medium = theMedium(this.media);
    const end = t.startLba + sectors - 1;
    const name = this.media?.present ? mediaTypeName(this.media.physicalType) : 'disc';
    const speed = o.speedKBps === undefined ? 'maximum' : speedLabel(o.speedKBps, this.media);
    const range = `LBA ${t.startLba.toLocaleString('en-US')} to ${end.toLocaleString('en-US')}`;
    // CD-RW and DVD-RW are written like write-once media but can be blanked again.
    const erasable = eraseCheck(this.media).problem === null;
    const closing = o.close
      ? ` After closing, nothing more can be added${erasable ? ' until it is erased' : ''}.`
      : '';
    const warning = o.simulate
      ? `Test write: the drive rehearses the burn with the laser off; nothing is written to ${medium}.`
      : t.overwrites
        ? `Everything on ${medium} from ${range} is overwritten. This cannot be undone.`
        : t.family === 'random'
          ? `The blank ${name} is formatted first, then written from LBA 0.`
          : erasable
            ? `Writing uses ${range} of ${medium}; they stay used until the disc is erased.${closing}`
            : `Writing to a ${name} cannot be undone: the sectors it uses are used for good.${closing}`;
    return html`
      <h3 id="confirm-title" tabindex="-1">Check and confirm</h3>
      <dl class="facts" data-testid="burn-summary">
        <dt>Image</dt>
        <dd>
          ${file.name} (${formatBytes(file.size)}, ${sectors.toLocaleString('en-US')} sectors)
        </dd>
        ${burnFacts(this, o, t, `LBA ${t.startLba.toLocaleString('en-US')} to ${end.toLocaleString('en-US')}`, speed)}
      </dl>
      <p class="warning" data-testid="burn-warning">${warning}</p>
      ${this.#notAnImage(file)}
      <div class="actions">
        <button type="button" @click=${this.#onBack}>Back</button>
        <button type="button" class="primary" @click=${this.#onBurn}>
          ${o.simulate ? 'Start test write' : 'Burn'}
        </button>
      </div>
    `;
  }
}

customElements.define('wd-burn-dialog', WdBurnDialog);

declare global {
  interface HTMLElementTagNameMap {
    'wd-burn-dialog': WdBurnDialog;
  }
}
