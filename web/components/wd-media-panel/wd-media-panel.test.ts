import { expect, fixture, html } from '@open-wc/testing';
import { $, $$, textOf } from '../../test/helpers.ts';
import { blankDvd, dataCd, mediumNotPresent, noDisc } from '../../test/samples.ts';
import './wd-media-panel.ts';
import { mediaTypeName, type WdMediaPanel } from './wd-media-panel.ts';

describe('wd-media-panel', () => {
  it('shows type, status, sessions, capacity and free space', async () => {
    const el = await fixture<WdMediaPanel>(
      html`<wd-media-panel .media=${blankDvd}></wd-media-panel>`,
    );
    expect($(el, '[data-testid=media-summary]').textContent!.trim()).to.equal('DVD+R, blank.');
    expect($(el, '[data-testid=media-type]').textContent).to.contain('IMAPI_MEDIA_TYPE_DVDPLUSR');
    expect($(el, '[data-testid=media-status]').textContent).to.equal('blank');
    expect($(el, '[data-testid=sessions]').textContent).to.equal('0');
    expect($(el, '[data-testid=capacity]').textContent).to.contain('4.70 GB free of 4.70 GB');
    expect($<HTMLMeterElement>(el, 'meter').value).to.equal(0);
    await expect(el).to.be.accessible();
  });

  it('lists sessions and tracks (TOC) and updates live when the media changes', async () => {
    const el = await fixture<WdMediaPanel>(
      html`<wd-media-panel .media=${blankDvd}></wd-media-panel>`,
    );
    el.media = dataCd;
    await el.updateComplete;
    expect($(el, '[data-testid=media-summary]').textContent!.trim()).to.equal(
      'CD-ROM, complete (closed).',
    );
    const rows = $$(el, '[data-testid=tracks] tbody tr');
    expect(rows.map((r) => r.textContent!.replace(/\s+/g, ' ').trim())).to.deep.equal([
      '1 1 data 0 200,000 410 MB',
      '2 2 data 211,400 50,000 102 MB',
    ]);
    expect($(el, '[data-testid=sessions]').textContent).to.equal('2');
    expect($(el, '[data-testid=capacity]').textContent).to.contain('0 B free');
    await expect(el).to.be.accessible();

    el.media = noDisc;
    await el.updateComplete;
    expect($(el, '[data-testid=media-summary]').textContent!.trim()).to.equal(
      'No disc; the tray is open.',
    );
    expect($(el, '[data-testid=tray]').textContent).to.equal('open');
  });

  it('shows a read error', async () => {
    const el = await fixture<WdMediaPanel>(
      html`<wd-media-panel .error=${mediumNotPresent}></wd-media-panel>`,
    );
    expect(textOf(el)).to.contain('NOT READY (2h), ASC 3Ah');
    await expect(el).to.be.accessible();
  });

  it('names IMAPI media types the way people say them', () => {
    expect(mediaTypeName('IMAPI_MEDIA_TYPE_DVDPLUSR_DUALLAYER')).to.equal('DVD+R DL');
    expect(mediaTypeName('IMAPI_MEDIA_TYPE_DVDDASHRW')).to.equal('DVD-RW');
    expect(mediaTypeName('IMAPI_MEDIA_TYPE_BDRE')).to.equal('BD-RE');
    expect(mediaTypeName('IMAPI_MEDIA_TYPE_FUTURE')).to.equal('FUTURE');
    expect(mediaTypeName('IMAPI_MEDIA_TYPE_UNKNOWN')).to.equal('unknown');
  });
});
