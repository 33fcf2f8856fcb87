import * as Comlink from 'comlink';
import type { WorkerApi } from '../../worker/api.ts';

export type WorkerRemote = Comlink.Remote<WorkerApi>;

/**
 * Starts this tab's session: a dedicated module worker (the recorder
 * service), wrapped with Comlink, and hands it the shared virtual recorder
 * that lives in a SharedWorker, so every tab sees the same virtual drive as
 * they would a real one. Without SharedWorker (Chrome on Android) the worker
 * runs a virtual drive of its own.
 */
export function startWorker(): { api: WorkerRemote; worker: Worker } {
  const worker = new Worker(new URL('../../worker/main.ts', import.meta.url), {
    type: 'module',
    name: 'webdisc-recorder',
  });
  const api = Comlink.wrap<WorkerApi>(worker);
  if (typeof SharedWorker !== 'undefined') {
    const shared = new SharedWorker(new URL('../../worker/virtual-host.ts', import.meta.url), {
      type: 'module',
      name: 'webdisc-virtual-recorder',
    });
    void api.attachVirtualRecorder(Comlink.transfer(shared.port, [shared.port]));
  } else {
    void api.attachVirtualRecorder(null);
  }
  return { api, worker };
}
