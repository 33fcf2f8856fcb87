/**
 * The part of the worker API the UI uses. The UI sees the worker only
 * through these types (`import type`); at run time it is a Comlink proxy
 * (web/lib/worker-client.ts) or, in tests, a fake (web/test/fake-api.ts).
 */
import type { WebdiscWorkerApi } from '../../contract/api.ts';

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
  | 'virtualPressEjectButton'
  | 'virtualState'
  | 'eraseMedia'
  | 'burnImage'
  | 'planFileImage'
  | 'cancelOperation'
  | 'subscribe';

export type UiApi = Pick<WebdiscWorkerApi, UiApiMethod>;
