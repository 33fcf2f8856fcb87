/**
 * The cross-process lock record (issue 14, item 1): one holder per drive,
 * its name readable by everyone, freed by the OS when the holder dies, and no
 * race when several processes clear a dead holder's record at once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemoryCoordinator } from '../engine/coordinator.ts';
import { ProcessCoordinator, probe, recordPath, runtimeDir } from './process-coordinator.ts';

const ID = 'usb:0e8f:1234:TEST';

/** A child process that takes the record and reports when it holds it. */
async function holderProcess(dir: string, name: string): Promise<ChildProcess> {
  const script = `
    import { ProcessCoordinator } from ${JSON.stringify(new URL('./process-coordinator.ts', import.meta.url).href)};
    const c = new ProcessCoordinator({ dir: ${JSON.stringify(dir)} });
    const lease = await c.tryLock(${JSON.stringify(ID)}, { sessionId: 'child', clientName: ${JSON.stringify(name)} });
    console.log(lease ? 'held' : 'busy');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8');
    child.stdout!.once('data', (d: string) => resolve(d.trim()));
    child.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  assert.equal(line, 'held');
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the cross-process lock record', () => {
  it('one holder; the others see its name and are refused at once; release frees it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-rec-'));
    const a = new ProcessCoordinator({ dir });
    const b = new ProcessCoordinator({ dir });
    const lease = await a.tryLock(ID, { sessionId: 'A', clientName: 'Alice' });
    assert.ok(lease);
    assert.equal(await b.tryLock(ID, { sessionId: 'B', clientName: 'Bob' }), undefined);
    assert.deepEqual(await b.holder(ID), { sessionId: 'A', clientName: 'Alice' });
    assert.deepEqual(await a.holder(ID), { sessionId: 'A', clientName: 'Alice' });
    await lease.release();
    assert.equal(await b.holder(ID), undefined);
    const second = await b.tryLock(ID, { sessionId: 'B', clientName: 'Bob' });
    assert.ok(second);
    assert.deepEqual(await a.holder(ID), { sessionId: 'B', clientName: 'Bob' });
    await second.release();
  });

  it('a SIGKILLed holder frees the drive at once, and subscribers are told', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-rec-'));
    const child = await holderProcess(dir, 'Doomed');
    const c = new ProcessCoordinator({ dir, pollMs: 50 });
    assert.equal((await c.holder(ID))?.clientName, 'Doomed');
    const told = new Promise<void>((resolve) => {
      const off = c.subscribe((id, topic) => {
        if (id === ID && topic === 'lock') {
          off();
          resolve();
        }
      });
    });
    const t0 = Date.now();
    await killed(child);
    assert.ok(existsSync(recordPath(dir, ID)), 'a killed process leaves its socket file behind');
    assert.equal(await c.holder(ID), undefined);
    const lease = await c.tryLock(ID, { sessionId: 'S', clientName: 'Survivor' });
    assert.ok(lease, 'the dead holder no longer holds the drive');
    await told;
    assert.ok(Date.now() - t0 < 1000, `freed within a second (${Date.now() - t0} ms)`);
    await lease.release();
  });

  it('several processes clearing a dead holder at once: exactly one wins', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-rec-'));
    await killed(await holderProcess(dir, 'Doomed'));
    assert.equal((await probe(recordPath(dir, ID))).state, 'stale');
    const contenders = Array.from({ length: 8 }, () => new ProcessCoordinator({ dir }));
    const leases = await Promise.all(
      contenders.map((c, i) => c.tryLock(ID, { sessionId: `S${i}`, clientName: `C${i}` })),
    );
    const winners = leases.filter((l) => l !== undefined);
    assert.equal(winners.length, 1);
    const holder = await new ProcessCoordinator({ dir }).holder(ID);
    assert.equal(holder?.clientName, `C${leases.findIndex((l) => l !== undefined)}`);
    await winners[0]!.release();
  });

  it('recorders of this process alone (the virtual one) stay in the local record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'webdisc-rec-'));
    const make = () =>
      new ProcessCoordinator({
        dir,
        shared: (id) => id.startsWith('usb:'),
        local: new MemoryCoordinator(),
      });
    const a = make();
    const b = make();
    const la = await a.tryLock('virtual', { sessionId: 'A', clientName: 'Alice' });
    const lb = await b.tryLock('virtual', { sessionId: 'B', clientName: 'Bob' });
    assert.ok(la && lb, 'each process has its own virtual recorder');
    assert.equal(existsSync(recordPath(dir, 'virtual')), false);
  });

  it('the runtime folder: $WEBDISC_RUNTIME_DIR, else $XDG_RUNTIME_DIR/webdisc, else a per-user temp folder', () => {
    assert.equal(runtimeDir({ WEBDISC_RUNTIME_DIR: '/x' }), '/x');
    assert.equal(runtimeDir({ XDG_RUNTIME_DIR: '/run/user/1000' }), '/run/user/1000/webdisc');
    assert.match(runtimeDir({}), /webdisc-/);
  });
});
