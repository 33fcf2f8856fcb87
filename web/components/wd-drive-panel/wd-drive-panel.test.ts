import { expect, fixture, html } from '@open-wc/testing';
import { RecorderAction, WdRecorderActionEvent } from '../../lib/events.ts';
import { $, $$, button, nextEvent, textOf } from '../../test/helpers.ts';
import { mediumNotPresent, sampleInfo } from '../../test/samples.ts';
import './wd-drive-panel.ts';
import type { WdDrivePanel } from './wd-drive-panel.ts';

describe('wd-drive-panel', () => {
  it('shows identity, profiles with the current one highlighted, capabilities, features and mode pages', async () => {
    const el = await fixture<WdDrivePanel>(
      html`<wd-drive-panel recorder-id="virtual" .info=${sampleInfo()}></wd-drive-panel>`,
    );
    expect($(el, '[data-testid=vendor]').textContent).to.equal('WEBDISC');
    expect($(el, '[data-testid=product]').textContent).to.equal('Virtual DVD-RW');
    const current = $$(el, '[data-testid=profiles] li[aria-current=true]');
    expect(current).to.have.length(1);
    expect(current[0]!.textContent).to.contain('DVD+R');
    expect(current[0]!.classList.contains('current')).to.equal(true);
    expect($$(el, '[data-testid=profiles] li')).to.have.length(4);
    expect($(el, '[data-testid=current-profile]').textContent).to.equal('DVD+R');
    const text = textOf(el);
    expect(text).to.contain('Features (3)');
    expect(text).to.contain('002Bh DVD+R current');
    expect(text).to.contain('Dvd plus R dual layer');
    expect(text).to.contain('Mode pages (1)');
    expect(text).to.contain('2Ah MM Capabilities and Mechanical Status');
    expect($(el, '[data-testid=capabilities]').textContent).to.contain('11,080, 5,540 kB/s');
    expect(text).to.contain('not tried yet');
    await expect(el).to.be.accessible();
  });

  it('highlights the current profile of the medium in the drive when it is given', async () => {
    const el = await fixture<WdDrivePanel>(
      html`<wd-drive-panel .info=${sampleInfo()} .currentProfileCode=${0x09}></wd-drive-panel>`,
    );
    const current = $$(el, '[data-testid=profiles] li[aria-current=true]');
    expect(current.map((li) => li.textContent!.trim())).to.deep.equal(['CD-R (current)']);
    expect($(el, '[data-testid=current-profile]').textContent).to.equal('CD-R');
    el.currentProfileCode = null;
    await el.updateComplete;
    expect($$(el, '[data-testid=profiles] li[aria-current=true]')).to.have.length(0);
    expect($(el, '[data-testid=current-profile]').textContent).to.equal('none');
  });

  it('opens a feature to show its decoded fields', async () => {
    const el = await fixture<WdDrivePanel>(
      html`<wd-drive-panel recorder-id="virtual" .info=${sampleInfo()}></wd-drive-panel>`,
    );
    const details = $$<HTMLDetailsElement>(el, 'details');
    const rts = details.find((d) => d.textContent?.includes('Real Time Streaming'))!;
    rts.querySelector('summary')!.click();
    expect(rts.open).to.equal(true);
    expect(rts.textContent).to.contain('1f000000');
  });

  it('shows a read failure as an error value and asks to read again', async () => {
    const el = await fixture<WdDrivePanel>(
      html`<wd-drive-panel recorder-id="virtual" .error=${mediumNotPresent}></wd-drive-panel>`,
    );
    expect(textOf(el)).to.contain('Could not read the drive');
    expect(textOf(el)).to.contain('0xC0AA0202');
    const event = nextEvent<WdRecorderActionEvent>(el, WdRecorderActionEvent.type);
    button(el, 'Read again').click();
    const e = await event;
    expect([e.recorderId, e.action]).to.deep.equal(['virtual', RecorderAction.Refresh]);
    await expect(el).to.be.accessible();
  });
});
