/**
 * Two sessions in real Chromium: two dedicated workers (as two tabs have),
 * one shared virtual drive (a SharedWorker), Web Locks as the lock record.
 * Terminating the owner's worker frees its lock; the other session then
 * acquires, and the drive shows PREVENT cleared and set again.
 */
import { expect } from '@open-wc/testing';
import * as Comlink from 'comlink';
import type { WorkerApi } from './api.ts';
import { remoteVirtual } from './virtual-remote.ts';

function sharedDrivePort(): MessagePort {
  const shared = new SharedWorker(new URL('./virtual-host.ts', import.meta.url), {
    type: 'module',
    name: 'webdisc-virtual-recorder-test',
  });
  return shared.port;
}

function session(): { api: Comlink.Remote<WorkerApi>; worker: Worker } {
  const worker = new Worker(new URL('./main.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<WorkerApi>(worker);
  const port = sharedDrivePort();
  void api.attachVirtualRecorder(Comlink.transfer(port, [port]));
  return { api, worker };
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('two sessions in Chromium (Web Locks + a shared virtual drive)', () => {
  it('contend, and a terminated owner frees the drive for the other', async function () {
    this.timeout(20_000);
    const drive = remoteVirtual(sharedDrivePort()).control;
    const a = session();
    const b = session();

    const first = await a.api.acquireExclusiveAccess('virtual', false, 'Tab A');
    expect(first.ok, JSON.stringify(first)).to.equal(true);

    const denied = await b.api.acquireExclusiveAccess('virtual', false, 'Tab B');
    expect(denied.ok).to.equal(false);
    if (!denied.ok) {
      expect(denied.error.name).to.equal('E_ACCESS_DENIED');
      expect(denied.error.hresult).to.equal(0x80070005);
    }
    const owner = await b.api.exclusiveAccessOwner('virtual');
    expect(owner).to.deep.equal({ ok: true, value: 'Tab A' });
    const refused = await b.api.ejectMedia('virtual');
    expect(refused.ok).to.equal(false);
    if (!refused.ok) expect(refused.error.name).to.equal('E_IMAPI_RECORDER_LOCKED');

    const before = await drive.state();
    expect(before.prevent || before.persistentPrevent).to.equal(true);

    // The owner's worker dies with the lock held: the browser frees its Web Locks.
    a.worker.terminate();
    const free = await until<Awaited<ReturnType<typeof b.api.exclusiveAccessOwner>>>(
      () => b.api.exclusiveAccessOwner('virtual'),
      (r) => r.ok && r.value === '',
    );
    expect(free).to.deep.equal({ ok: true, value: '' });
    const historyBefore = (await drive.state()).preventHistory.length;

    const second = await b.api.acquireExclusiveAccess('virtual', false, 'Tab B');
    expect(second.ok, JSON.stringify(second)).to.equal(true);
    const after = await drive.state();
    const transitions = after.preventHistory.slice(historyBefore);
    expect(transitions).to.include(false, 'PREVENT was cleared');
    expect(transitions.at(-1)).to.equal(true, 'and set again');

    expect((await b.api.releaseExclusiveAccess('virtual')).ok).to.equal(true);
    b.worker.terminate();
  });
});
