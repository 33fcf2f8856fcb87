/**
 * The part of the worker API the UI uses. The UI sees the worker only
 * through these types (`import type`); at run time it is a Comlink proxy
 * (web/lib/worker-client.ts) or, in tests, a fake (web/test/fake-api.ts).
 */
import type { WorkerApi } from '../../worker/api.ts';

export type UiApiMethod =
  | 'listRecorders'
  | 'refreshUsbDevices'
  | 'getInfo'
  | 'getMedia'
  | 'getLockState'
  | 'acquireExclusiveAccess'
  | 'releaseExclusiveAccess'
  | 'ejectMedia'
  | 'closeTray'
  | 'unlockTray'
  | 'virtualInsertMedia'
  | 'virtualInsertImage'
  | 'virtualPressEjectButton'
  | 'virtualState'
  | 'eraseMedia'
  | 'burnImage'
  | 'planFileImage'
  | 'planFileSession'
  | 'walkSessionFiles'
  | 'cancelOperation'
  | 'listDiscFiles'
  | 'walkDiscFiles'
  | 'readDiscFile'
  | 'saveDiscToFile'
  | 'resumeSaveToFile'
  | 'discardSave'
  | 'verifyDisc'
  | 'copyDisc'
  | 'subscribe';

export type UiApi = Pick<WorkerApi, UiApiMethod>;

/** What the file browser calls (a plain object in the shell, a fake in tests). */
export type BrowseApi = Pick<UiApi, 'listDiscFiles' | 'walkDiscFiles' | 'readDiscFile'>;

/** What the verify dialog calls. */
export type VerifyApi = Pick<UiApi, 'verifyDisc'>;
