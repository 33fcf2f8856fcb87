import * as Comlink from 'comlink';
import type { WorkerApi } from '../../worker/api.ts';
// `?worker&url` / `?sharedworker&url`: Vite bundles each worker entry and gives
// its URL as a plain string, so the constructor call below can take it through
// a Trusted Types policy. (Vite only recognises `new Worker(new URL(…))` written
// literally, which leaves no room for the policy.)
// The lint rule against importing the worker is about its code; these are URLs.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import recorderWorkerUrl from '../../worker/main.ts?worker&url';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import virtualHostUrl from '../../worker/virtual-host.ts?sharedworker&url';
import { createScriptUrlPolicy, type ScriptUrlPolicy } from './trusted-types.ts';

export type WorkerRemote = Comlink.Remote<WorkerApi>;

/** The two worker scripts this page may start, resolved against the page's base URL. */
export const WORKER_SCRIPTS = {
  recorder: recorderWorkerUrl,
  virtualHost: virtualHostUrl,
} as const;

let policy: ScriptUrlPolicy | null | undefined;

/**
 * The script URL to hand a Worker or SharedWorker constructor: a
 * TrustedScriptURL from the `webdisc` policy, which admits exactly the two
 * worker scripts of this build, or the plain URL where there are no Trusted
 * Types. The cast is the DOM lib's: the constructors take TrustedScriptURL
 * too, but TypeScript's lib does not say so yet.
 */
function scriptUrl(url: string): string {
  if (policy === undefined)
    policy = createScriptUrlPolicy('webdisc', Object.values(WORKER_SCRIPTS));
  return (policy ? policy.createScriptURL(url) : new URL(url, document.baseURI).href) as string;
}

/**
 * Starts this tab's session: a dedicated module worker (the recorder
 * service), wrapped with Comlink, and hands it the shared virtual recorder
 * that lives in a SharedWorker, so every tab sees the same virtual drive as
 * they would a real one. Without SharedWorker (Chrome on Android) the worker
 * runs a virtual drive of its own.
 */
export function startWorker(): { api: WorkerRemote; worker: Worker } {
  const worker = new Worker(scriptUrl(WORKER_SCRIPTS.recorder), {
    type: 'module',
    name: 'webdisc-recorder',
  });
  const api = Comlink.wrap<WorkerApi>(worker);
  if (typeof SharedWorker !== 'undefined') {
    const shared = new SharedWorker(scriptUrl(WORKER_SCRIPTS.virtualHost), {
      type: 'module',
      name: 'webdisc-virtual-recorder',
    });
    void api.attachVirtualRecorder(Comlink.transfer(shared.port, [shared.port]));
  } else {
    void api.attachVirtualRecorder(null);
  }
  return { api, worker };
}
