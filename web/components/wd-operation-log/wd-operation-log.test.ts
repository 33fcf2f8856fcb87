import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { LogLevel, type LogLine } from '../../lib/operation-log.ts';
import { $$, button, textAt } from '../../test/helpers.ts';
import './wd-operation-log.ts';
import type { WdOperationLog } from './wd-operation-log.ts';

const at = new Date(2026, 11, 5, 20, 51, 3).getTime();
const lines: LogLine[] = [
  { time: at, level: LogLevel.Info, text: 'Operation started: Burn!' },
  { time: at, level: LogLevel.Info, text: 'Drive: Virtual recorder' },
  { time: at + 2000, level: LogLevel.Error, text: 'Operation failed! - Duration: 00:00:02' },
];

describe('wd-operation-log', () => {
  it('shows one ImgBurn-style line per entry, and says when there is none', async () => {
    const el = await fixture<WdOperationLog>(html`<wd-operation-log></wd-operation-log>`);
    expect(textAt(el, '[data-testid=log-empty]')).to.contain('Nothing done yet');
    expect(button(el, 'Copy log').disabled).to.equal(true);
    expect(button(el, 'Save log…').disabled).to.equal(true);
    el.lines = lines;
    await el.updateComplete;
    expect($$(el, '[data-testid=log-lines] li').map((li) => li.textContent!.trim())).to.deep.equal([
      'I 20:51:03 Operation started: Burn!',
      'I 20:51:03 Drive: Virtual recorder',
      'E 20:51:05 Operation failed! - Duration: 00:00:02',
    ]);
    await expect(el).to.be.accessible();
  });

  it('copies the log as text with its header lines', async () => {
    const el = await fixture<WdOperationLog>(
      html`<wd-operation-log .lines=${lines}></wd-operation-log>`,
    );
    let copied = '';
    el.clipboard = { writeText: (t: string) => Promise.resolve(void (copied = t)) };
    el.about = ['Browser: test'];
    button(el, 'Copy log').click();
    await waitUntil(() => copied, 'nothing copied');
    expect(copied).to.equal(
      'webdisc operation log\nBrowser: test\n\nI 20:51:03 Operation started: Burn!\n' +
        'I 20:51:03 Drive: Virtual recorder\nE 20:51:05 Operation failed! - Duration: 00:00:02\n',
    );
    await el.updateComplete;
    expect(textAt(el, '[data-testid=log-status]')).to.equal('Copied 3 lines to the clipboard.');

    el.clipboard = { writeText: () => Promise.reject(new Error('denied')) };
    button(el, 'Copy log').click();
    await waitUntil(() => textAt(el, '[data-testid=log-status]').includes('denied'));
    expect(textAt(el, '[data-testid=log-status]')).to.equal('Could not copy: denied');
  });

  it('saves the log as a .txt file', async () => {
    const el = await fixture<WdOperationLog>(
      html`<wd-operation-log .lines=${lines} .dropped=${4}></wd-operation-log>`,
    );
    const saved: { name: string; text: string }[] = [];
    el.saveText = (name, text) => saved.push({ name, text });
    button(el, 'Save log…').click();
    await el.updateComplete;
    expect(saved).to.have.length(1);
    expect(saved[0]!.name).to.match(/^webdisc-log-\d{4}-\d\d-\d\dT[\d-]+Z\.txt$/);
    expect(saved[0]!.text).to.contain('(4 older lines were dropped)');
    expect(saved[0]!.text).to.contain('E 20:51:05 Operation failed!');
    expect(textAt(el, '[data-testid=log-status]')).to.equal(`Saved the log as ${saved[0]!.name}.`);
  });
});
