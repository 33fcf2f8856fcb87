/**
 * What the dedicated worker exposes over Comlink: the recorder service
 * (contract/api.ts), plus the page's hand-over of the shared virtual
 * recorder's port (a SharedWorker; workers cannot start one themselves).
 */
import type { DiscFilesSource, Result, WebdiscWorkerApi } from '../contract/api.ts';
import type { PortLike } from '../engine/usb-port.ts';

export interface WorkerApi extends WebdiscWorkerApi {
  /** null: this session runs a virtual drive of its own. */
  attachVirtualRecorder(port: PortLike | null): void;
  /**
   * A file on a disc or an image, as a stream the page takes over
   * (transferred): for downloads and zips, read only as fast as they are written.
   */
  readDiscFile(source: DiscFilesSource, path: string): Promise<Result<ReadableStream<Uint8Array>>>;
}
