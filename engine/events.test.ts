/**
 * Media state and events: GESN polling (MCN) turns drive events into
 * 'media', 'tray' and 'eject-request' events for subscribers; several
 * recorders work at once, each with its own queue.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVirtualRecorder } from '../virtual-recorder/src/index.ts';
import { MemoryCoordinator } from './coordinator.ts';
import { WebdiscService } from './service.ts';
import { V, bench, ok } from './test-kit.ts';
import { virtualSource } from './virtual-source.ts';

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('media change notification (GESN polling)', () => {
  it('a new disc becomes a media event with the new state, for every session', async () => {
    const b = bench({ media: 'cd-r' });
    const a = b.session('A');
    const other = b.session('B');
    ok(await a.service.getMedia(V));
    ok(await other.service.listRecorders());
    b.drive.changeMedia('bd-re');
    const recorder = await a.service.recorder(V);
    await recorder.pollEvents();
    await settle();
    for (const s of [a, other]) {
      const media = s.events.filter((e) => e.type === 'media').at(-1);
      assert.ok(media && media.type === 'media', `${s.id} got a media event`);
      assert.equal(media.media.physicalType, 'IMAPI_MEDIA_TYPE_BDRE');
    }
  });

  it('the eject button, pressed while the owner holds PREVENT, reaches the owner as an eject request', async () => {
    const b = bench({ media: 'dvd+r' });
    const a = b.session('A');
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    b.drive.pressEjectButton();
    assert.equal(b.drive.state.trayOpen, false, 'the locked tray stays shut');
    await (await a.service.recorder(V)).pollEvents();
    assert.ok(a.events.some((e) => e.type === 'eject-request'));
  });

  it('while another session owns the drive, its media notifications are held back', async () => {
    const b = bench({ media: 'cd-r' });
    const a = b.session('A');
    const other = b.session('B');
    ok(await a.service.acquireExclusiveAccess(V, false, 'Owner'));
    ok(await other.service.listRecorders());
    const before = b.drive.log.length;
    await (await other.service.recorder(V)).pollEvents();
    assert.equal(b.drive.log.length, before, 'B sent no GESN');
  });

  it('polls by itself while MCN is enabled, and stops when disabled', async () => {
    const drive = createVirtualRecorder({ media: 'cd-r' });
    const service = new WebdiscService({
      sessionId: 'S',
      coordinator: new MemoryCoordinator(),
      sources: [virtualSource(drive)],
      mcnIntervalMs: 10,
    });
    ok(await service.getMedia(V));
    const gesn = () => drive.log.filter((e) => e.opcode === 0x4a).length;
    await new Promise((r) => setTimeout(r, 80));
    assert.ok(gesn() >= 2, `polled ${gesn()} times`);
    ok(await service.disableMcn(V));
    await settle();
    const stopped = gesn();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(gesn(), stopped);
    service.dispose();
  });
});

describe('several recorders at once', () => {
  it('each has its own identity, state and queue', async () => {
    const one = createVirtualRecorder({ media: 'cd-rw', serial: 'ONE' });
    const two = createVirtualRecorder({ media: 'bd-r', serial: 'TWO' });
    const source = (drive: typeof one, id: string) => ({
      list: async () =>
        (await virtualSource(drive).list()).map((d) => ({ ...d, summary: { ...d.summary, id } })),
    });
    const service = new WebdiscService({
      sessionId: 'S',
      coordinator: new MemoryCoordinator(),
      sources: [source(one, 'one'), source(two, 'two')],
      mcnIntervalMs: 0,
    });
    assert.deepEqual(
      ok(await service.listRecorders()).map((r) => r.id),
      ['one', 'two'],
    );
    const [m1, m2] = await Promise.all([service.getMedia('one'), service.getMedia('two')]);
    assert.equal(ok(m1).physicalType, 'IMAPI_MEDIA_TYPE_CDRW');
    assert.equal(ok(m2).physicalType, 'IMAPI_MEDIA_TYPE_BDR');
    ok(await service.acquireExclusiveAccess('one', false, 'Only one'));
    assert.equal(one.state.prevent || one.state.persistentPrevent, true);
    assert.equal(two.state.prevent || two.state.persistentPrevent, false);
    assert.equal(ok(await service.exclusiveAccessOwner('two')), '');
    service.dispose();
  });
});
