import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { traceEntry } from '../test/samples.ts';
import { ClockController } from './clock.ts';
import { TraceBufferController } from './trace-buffer.ts';

class TestHost extends LitElement {
  updates = 0;
  readonly trace = new TraceBufferController(this, 5);
  readonly clock = new ClockController(this, 20);
  override updated() {
    this.updates++;
  }
}
customElements.define('wd-test-host', TestHost);

describe('controllers', () => {
  it('TraceBufferController batches entries into one update and keeps the newest up to its limit', async () => {
    const host = await fixture<TestHost>(html`<wd-test-host></wd-test-host>`);
    const before = host.updates;
    for (let i = 1; i <= 8; i++) host.trace.add(traceEntry(i));
    expect(host.trace.entries).to.have.length(0);
    await waitUntil(() => host.trace.entries.length > 0);
    await host.updateComplete;
    expect(host.updates).to.equal(before + 1);
    expect(host.trace.entries.map((e) => e.seq)).to.deep.equal([4, 5, 6, 7, 8]);
    expect(host.trace.dropped).to.equal(3);
    const previous = host.trace.entries;
    host.trace.add(traceEntry(9));
    host.trace.flush();
    expect(host.trace.entries).not.to.equal(previous);
    host.trace.clear();
    expect(host.trace.entries).to.deep.equal([]);
    expect(host.trace.dropped).to.equal(0);
  });

  it('ClockController re-renders while running only', async () => {
    const host = await fixture<TestHost>(html`<wd-test-host></wd-test-host>`);
    const start = host.updates;
    host.clock.running = true;
    await waitUntil(() => host.updates >= start + 2, 'clock did not tick');
    host.clock.running = false;
    await host.updateComplete;
    const stopped = host.updates;
    await new Promise((r) => setTimeout(r, 80));
    expect(host.updates).to.equal(stopped);
  });
});
