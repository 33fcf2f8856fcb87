import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TraceEntry } from '../../../contract/api.ts';
import { WdClearTraceEvent } from '../../lib/events.ts';
import { $, $$, button, nextEvent } from '../../test/helpers.ts';
import { traceEntry } from '../../test/samples.ts';
import './wd-trace-log.ts';
import { TRACE_ROWS_SHOWN, type WdTraceLog } from './wd-trace-log.ts';

const entries: TraceEntry[] = [
  traceEntry(1),
  traceEntry(2, {
    name: 'INQUIRY',
    cdbHex: '120000006000',
    direction: 'in',
    length: 96,
    transferred: 36,
    durationMs: 3.2,
  }),
  traceEntry(3, {
    name: 'READ CAPACITY',
    cdbHex: '25000000000000000000',
    direction: 'in',
    length: 8,
    status: 'check-condition',
    sense: { key: 2, asc: 0x3a, ascq: 0 },
    senseText: 'MEDIUM NOT PRESENT',
    durationMs: 1.1,
  }),
];

const rows = (el: WdTraceLog) =>
  $$(el, '[data-testid=trace-rows] tbody tr').map((r) =>
    [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()),
  );

describe('wd-trace-log', () => {
  it('lists each command newest first: hex CDB, name, data, status, decoded sense, duration', async () => {
    const el = await fixture<WdTraceLog>(html`<wd-trace-log .entries=${entries}></wd-trace-log>`);
    const r = rows(el);
    expect(r).to.have.length(3);
    expect(r[0]).to.deep.equal([
      '3',
      '03:04:05.681',
      'READ CAPACITY',
      '25 00 00 00 00 00 00 00 00 00',
      'in 0/8',
      'CHECK CONDITION',
      'NOT READY (2h), ASC 3Ah, ASCQ 00h — MEDIUM NOT PRESENT',
      '1.1 ms',
    ]);
    expect(r[1]![2]).to.equal('INQUIRY');
    expect(r[2]![4]).to.equal('–');
    expect($(el, '[data-testid=trace-count]').textContent).to.contain('3 of 3 commands');
    await expect(el).to.be.accessible();
  });

  it('filters', async () => {
    const el = await fixture<WdTraceLog>(html`<wd-trace-log .entries=${entries}></wd-trace-log>`);
    const input = $<HTMLInputElement>(el, 'input[type=search]');
    input.value = 'check';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(rows(el).map((r) => r[2])).to.deep.equal(['READ CAPACITY']);
    expect($(el, '[data-testid=trace-count]').textContent).to.contain('1 of 3 commands match');
    input.value = 'nothing like this';
    input.dispatchEvent(new Event('input'));
    await el.updateComplete;
    expect(el.shadowRoot!.textContent).to.contain('No command matches the filter.');
  });

  it('copies the matching commands as text', async () => {
    const el = await fixture<WdTraceLog>(html`<wd-trace-log .entries=${entries}></wd-trace-log>`);
    let copied = '';
    el.clipboard = { writeText: (t: string) => Promise.resolve(void (copied = t)) };
    button(el, 'Copy').click();
    await waitUntil(() => copied !== '');
    expect(copied.split('\n')[0]).to.equal('webdisc command trace');
    expect(copied).to.contain('#3  virtual  READ CAPACITY  [25 00 00 00 00 00 00 00 00 00]');
    await el.updateComplete;
    expect($(el, '[data-testid=trace-status]').textContent).to.equal(
      'Copied 3 commands to the clipboard.',
    );
  });

  it('exports a text file through a Blob download', async () => {
    const el = await fixture<WdTraceLog>(html`<wd-trace-log .entries=${entries}></wd-trace-log>`);
    el.about = ['Drive: WEBDISC Virtual DVD-RW 1.00'];
    const created: Blob[] = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = (blob: Blob | MediaSource) => {
      created.push(blob as Blob);
      return 'blob:test';
    };
    let download = '';
    const onClick = (e: Event) => {
      const a = e.composedPath()[0];
      if (a instanceof HTMLAnchorElement) {
        download = a.download;
        e.preventDefault();
      }
    };
    el.shadowRoot!.addEventListener('click', onClick, true);
    try {
      button(el, 'Export as text file').click();
    } finally {
      URL.createObjectURL = original;
    }
    expect(download).to.match(/^webdisc-trace-.*\.txt$/);
    expect(created).to.have.length(1);
    expect(created[0]!.type).to.equal('text/plain;charset=utf-8');
    const text = await created[0]!.text();
    expect(text).to.contain('Drive: WEBDISC Virtual DVD-RW 1.00');
    expect(text).to.contain('Commands: 3');
    expect(text).to.contain('INQUIRY');
  });

  it('draws a bounded number of rows and clears', async () => {
    const many = Array.from({ length: TRACE_ROWS_SHOWN + 50 }, (_, i) => traceEntry(i + 1));
    const el = await fixture<WdTraceLog>(
      html`<wd-trace-log .entries=${many} .dropped=${7} .limit=${many.length}></wd-trace-log>`,
    );
    expect(rows(el)).to.have.length(TRACE_ROWS_SHOWN);
    expect(rows(el)[0]![0]).to.equal(String(many.length));
    const count = $(el, '[data-testid=trace-count]').textContent!;
    expect(count).to.contain(`the newest ${TRACE_ROWS_SHOWN} are shown`);
    expect(count).to.contain('7 older ones were dropped');
    const event = nextEvent(el, WdClearTraceEvent.type);
    button(el, 'Clear').click();
    expect(await event).to.be.instanceOf(WdClearTraceEvent);
  });
});
