/**
 * The UI's typed events. Each bubbles and is composed so the app shell hears
 * it from inside any panel's shadow root.
 */
import type { ImageTarget } from './save-disc.ts';
import type {
  BurnOptions,
  EraseOptions,
  SaveOptions,
  FileImageOptions,
  FileTreeEntry,
} from '../../contract/api.ts';

const init = { bubbles: true, composed: true } as const;

export class WdSelectDriveEvent extends Event {
  static readonly type = 'wd-select-drive';
  constructor(readonly recorderId: string) {
    super(WdSelectDriveEvent.type, init);
  }
}

export class WdConnectUsbEvent extends Event {
  static readonly type = 'wd-connect-usb';
  constructor() {
    super(WdConnectUsbEvent.type, init);
  }
}

export class WdInsertMediaEvent extends Event {
  static readonly type = 'wd-insert-media';
  constructor(readonly mediaName: string) {
    super(WdInsertMediaEvent.type, init);
  }
}

/** A disc image to put in the virtual drive as a finished disc. */
export class WdInsertImageEvent extends Event {
  static readonly type = 'wd-insert-image';
  constructor(readonly image: File) {
    super(WdInsertImageEvent.type, init);
  }
}

/** The virtual drive's front-panel eject button. */
export class WdVirtualEjectButtonEvent extends Event {
  static readonly type = 'wd-virtual-eject-button';
  constructor() {
    super(WdVirtualEjectButtonEvent.type, init);
  }
}

export class WdAcquireEvent extends Event {
  static readonly type = 'wd-acquire';
  constructor(
    readonly recorderId: string,
    readonly clientName: string,
    readonly force: boolean,
  ) {
    super(WdAcquireEvent.type, init);
  }
}

export const RecorderAction = {
  Release: 'release',
  UnlockTray: 'unlock-tray',
  Eject: 'eject',
  CloseTray: 'close-tray',
  Refresh: 'refresh',
} as const;
export type RecorderAction = (typeof RecorderAction)[keyof typeof RecorderAction];

/** A button that needs only the recorder: release, unlock tray, eject, close tray, refresh. */
export class WdRecorderActionEvent extends Event {
  static readonly type = 'wd-recorder-action';
  constructor(
    readonly recorderId: string,
    readonly action: RecorderAction,
  ) {
    super(WdRecorderActionEvent.type, init);
  }
}

/** The progress UI's cancel button. */
export class WdCancelEvent extends Event {
  static readonly type = 'wd-cancel';
  constructor(readonly recorderId: string) {
    super(WdCancelEvent.type, init);
  }
}

/** The update banner's Reload button. */
export class WdReloadEvent extends Event {
  static readonly type = 'wd-reload';
  constructor() {
    super(WdReloadEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-select-drive': WdSelectDriveEvent;
    'wd-connect-usb': WdConnectUsbEvent;
    'wd-insert-media': WdInsertMediaEvent;
    'wd-insert-image': WdInsertImageEvent;
    'wd-virtual-eject-button': WdVirtualEjectButtonEvent;
    'wd-acquire': WdAcquireEvent;
    'wd-recorder-action': WdRecorderActionEvent;
    'wd-cancel': WdCancelEvent;
    'wd-reload': WdReloadEvent;
  }
}

/** A notice's Dismiss button. */
export class WdDismissEvent extends Event {
  static readonly type = 'wd-dismiss';
  constructor() {
    super(WdDismissEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-dismiss': WdDismissEvent;
  }
}

/** The command trace's Clear button. */
export class WdClearTraceEvent extends Event {
  static readonly type = 'wd-clear-trace';
  constructor() {
    super(WdClearTraceEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-clear-trace': WdClearTraceEvent;
  }
}

export const DialogName = {
  Burn: 'burn',
  Erase: 'erase',
  Files: 'files',
  /** The files dialog on a disc that has files: a new session (issue 18). */
  AddFiles: 'add-files',
  Save: 'save',
  Browse: 'browse',
  Verify: 'verify',
  /** With one drive not a dialog: "Copy disc…" starts reading the disc into a temporary copy. */
  Copy: 'copy',
} as const;
export type DialogName = (typeof DialogName)[keyof typeof DialogName];

/** "Burn an image…" / "Erase…": the shell opens that dialog for the recorder. */
export class WdOpenDialogEvent extends Event {
  static readonly type = 'wd-open-dialog';
  constructor(
    readonly recorderId: string,
    readonly dialog: DialogName,
  ) {
    super(WdOpenDialogEvent.type, init);
  }
}

/** A dialog closed (its Cancel or Close button, Escape, or after it asked for its operation). */
export class WdCloseDialogEvent extends Event {
  static readonly type = 'wd-close-dialog';
  constructor(readonly dialog: DialogName) {
    super(WdCloseDialogEvent.type, init);
  }
}

/** The erase dialog's confirmed request: eraseMedia(recorderId, options). */
export class WdEraseEvent extends Event {
  static readonly type = 'wd-erase';
  constructor(
    readonly recorderId: string,
    readonly options: EraseOptions,
  ) {
    super(WdEraseEvent.type, init);
  }
}

/** The burn dialog's confirmed request: burnImage(recorderId, {kind: 'blob', blob: file}, options). */
export class WdBurnEvent extends Event {
  static readonly type = 'wd-burn';
  constructor(
    readonly recorderId: string,
    readonly file: File,
    readonly options: BurnOptions,
  ) {
    super(WdBurnEvent.type, init);
  }
}

/** What a files burn writes, for the progress panel's words. */
export interface FilesBurnSummary {
  /** "SOMMER (12 files)", "12 files": what the headlines call it. */
  readonly title: string;
  /** The planned image's bytes. */
  readonly bytes: number;
}

/** The "Burn files…" dialog's confirmed request: burnImage(recorderId, {kind: 'files', root, image}, options). */
export class WdBurnFilesEvent extends Event {
  static readonly type = 'wd-burn-files';
  constructor(
    readonly recorderId: string,
    readonly root: Extract<FileTreeEntry, { kind: 'dir' }>,
    readonly image: FileImageOptions,
    readonly options: BurnOptions,
    readonly summary: FilesBurnSummary,
    /** Add a session to the disc's files: these disc paths taken out, the root laid over the rest. */
    readonly append?: { readonly remove: readonly string[] },
  ) {
    super(WdBurnFilesEvent.type, init);
  }
}

/** The progress panel's Dismiss: forget the finished operation's result. */
export class WdClearResultEvent extends Event {
  static readonly type = 'wd-clear-result';
  constructor(readonly recorderId: string) {
    super(WdClearResultEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-open-dialog': WdOpenDialogEvent;
    'wd-close-dialog': WdCloseDialogEvent;
    'wd-erase': WdEraseEvent;
    'wd-burn': WdBurnEvent;
    'wd-burn-files': WdBurnFilesEvent;
    'wd-clear-result': WdClearResultEvent;
  }
}

/** The save dialog's request: saveDiscToFile(recorderId, imageTarget.file, options), then deliver. */
export class WdSaveDiscEvent extends Event {
  static readonly type = 'wd-save-disc';
  constructor(
    readonly recorderId: string,
    readonly imageTarget: ImageTarget,
    readonly options: SaveOptions,
  ) {
    super(WdSaveDiscEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-save-disc': WdSaveDiscEvent;
  }
}

/**
 * The progress panel's Resume for a save that failed part way (its failure's
 * `resumable`): go on into the same file, perhaps past unreadable sectors now.
 */
export class WdResumeSaveEvent extends Event {
  static readonly type = 'wd-resume-save';
  constructor(
    readonly recorderId: string,
    readonly continuePastErrors: boolean,
  ) {
    super(WdResumeSaveEvent.type, init);
  }
}

declare global {
  interface HTMLElementEventMap {
    'wd-resume-save': WdResumeSaveEvent;
  }
}
