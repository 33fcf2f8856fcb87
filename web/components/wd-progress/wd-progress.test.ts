import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { BurnReport } from '../../../contract/api.ts';
import { WdCancelEvent, WdClearResultEvent } from '../../lib/events.ts';
import type { BurnOperation, EraseOperation } from '../../lib/operations.ts';
import { $, button, nextEvent, textAt, textOf } from '../../test/helpers.ts';
import { blankCdRw, blankDvd, verificationFailure } from '../../test/samples.ts';
import './wd-progress.ts';
import type { WdProgress } from './wd-progress.ts';

const SHA = 'ab'.repeat(32);

const burning: BurnOperation = {
  kind: 'burn',
  title: 'Burning backup.iso (12.0 MB) to the DVD+R',
  running: true,
  cancelRequested: false,
  fileName: 'backup.iso',
  fileSize: 12_000_000,
  options: { clientName: 'webdisc', verify: 'full' },
  result: null,
};

const burned: BurnReport = {
  startLba: 0,
  sectorCount: 5_860,
  lastWrittenLba: 5_859,
  durationMs: 12_000,
  verify: 'full',
  sha256: SHA,
  simulated: false,
  writeType: 'incremental',
  speedKBps: 11_080,
  closed: false,
  disc: { ...blankDvd, status: 'appendable', sessions: 1, freeBlocks: 2_289_244 },
};

const erasing: EraseOperation = {
  kind: 'erase',
  title: 'Erasing the CD-RW (quick)',
  running: true,
  cancelRequested: false,
  full: false,
  result: null,
};

describe('wd-progress', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('says when nothing runs', async () => {
    const el = await fixture<WdProgress>(html`<wd-progress recorder-id="virtual"></wd-progress>`);
    expect(textOf(el)).to.contain('No operation is running.');
    expect(el.shadowRoot!.querySelector('progress')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the bar, the action, elapsed and remaining time, and cancels', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        recorder-id="virtual"
        .progress=${{ action: 'Writing track 1', fraction: 0.25, elapsedMs: 65_000, remainingMs: 195_000 }}
      ></wd-progress>`,
    );
    const bar = $<HTMLProgressElement>(el, 'progress');
    expect(bar.value).to.equal(0.25);
    expect(bar.max).to.equal(1);
    expect($(el, '[data-testid=progress-action]').textContent!.trim()).to.equal('Writing track 1');
    expect($(el, '[data-testid=progress-percent]').textContent).to.equal('25%');
    expect($(el, '[data-testid=progress-elapsed]').textContent).to.equal('1:05');
    expect($(el, '[data-testid=progress-remaining]').textContent!.trim()).to.equal('3:15');
    await expect(el).to.be.accessible();
    const event = nextEvent<WdCancelEvent>(el, WdCancelEvent.type);
    button(el, 'Cancel').click();
    expect((await event).recorderId).to.equal('virtual');
  });

  it('adds sectors written and the drive buffer for a burn', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .progress=${{
          action: 'writing',
          fraction: 0.5,
          elapsedMs: 10_000,
          remainingMs: 10_000,
          startLba: 100,
          sectorCount: 2000,
          lastWrittenLba: 1099,
          bufferFill: 0.84,
        }}
      ></wd-progress>`,
    );
    expect($(el, '[data-testid=progress-sectors]').textContent!.trim()).to.equal('1,000 of 2,000');
    expect(textAt(el, '[data-testid=progress-lbas]')).to.equal('100 to 2,099; last written 1,099');
    expect($(el, '[data-testid=progress-buffer]').textContent).to.equal('84%');
    expect(textAt(el, '[data-testid=progress-action]')).to.equal('Writing');
    await expect(el).to.be.accessible();
  });

  it("shows the speed the drive uses, in × of the disc's 1×, and no buffer row when the drive reports none (issue 19)", async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .progress=${{
          action: 'writing',
          fraction: 0.25,
          elapsedMs: 4_000,
          remainingMs: 12_000,
          startLba: 0,
          sectorCount: 2000,
          lastWrittenLba: 499,
          bufferFill: null,
          writeSpeedKBps: 5540,
          physicalType: 'IMAPI_MEDIA_TYPE_DVDPLUSR',
        }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=progress-write-speed]')).to.equal('4× (5,540 kB/s)');
    expect(el.shadowRoot!.querySelector('[data-testid=progress-buffer]')).to.equal(null);
    expect(el.shadowRoot!.textContent).to.not.contain('Drive buffer');
    await expect(el).to.be.accessible();
  });

  it('is indeterminate when the fraction is unknown and drops Cancel when done', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .progress=${{ action: 'Erasing', fraction: null, elapsedMs: 0, remainingMs: null }}
      ></wd-progress>`,
    );
    expect($<HTMLProgressElement>(el, 'progress').hasAttribute('value')).to.equal(false);
    expect($(el, '[data-testid=progress-remaining]').textContent!.trim()).to.equal('estimating…');
    await expect(el).to.be.accessible();
    el.progress = { action: 'Erasing', fraction: 1, elapsedMs: 90_000, remainingMs: 0 };
    await el.updateComplete;
    expect($(el, '[data-testid=progress-action]').textContent).to.contain('done');
    expect(() => button(el, 'Cancel')).to.throw();
  });

  it('says what runs, and starts before the first progress event', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress recorder-id="virtual" .operation=${burning}></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=operation-title]')).to.equal(burning.title);
    expect(textOf(el)).to.contain('Starting…');
    expect(() => button(el, 'Cancel')).to.throw();
    el.progress = { action: 'calibrating', fraction: 0, elapsedMs: 200, remainingMs: null };
    await el.updateComplete;
    expect(textAt(el, '[data-testid=progress-action]')).to.equal('Preparing to write');
    el.operation = { ...burning, cancelRequested: true };
    await el.updateComplete;
    expect(button(el, 'Cancelling…').disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('shows a completed burn: sectors, the SHA-256 of the image, the disc afterwards; Dismiss', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        recorder-id="virtual"
        .progress=${{ action: 'verifying', fraction: 0.9, elapsedMs: 11_000, remainingMs: 1_000 }}
        .operation=${{ ...burning, running: false, result: { ok: true, value: burned } }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal('Burn completed');
    expect(textAt(el, '[data-testid=result-sectors]')).to.equal(
      '5,860 sectors (12.0 MB), LBA 0 to 5,859',
    );
    expect(textAt(el, '[data-testid=result-sha256]')).to.equal(SHA);
    expect(textAt(el, '[data-testid=result-verify]')).to.contain('SHA-256 of the disc matches');
    expect(textAt(el, '[data-testid=result-disc]')).to.equal(
      'DVD+R, appendable (open session); 1 session; 4.69 GB free',
    );
    expect(textOf(el)).to.contain('8× (11,080 kB/s)');
    // The ended operation replaces the live view: no bar, no Cancel.
    expect(el.shadowRoot!.querySelector('progress')).to.equal(null);
    expect(() => button(el, 'Cancel')).to.throw();
    await expect(el).to.be.accessible();
    const dismissed = nextEvent<WdClearResultEvent>(el, WdClearResultEvent.type);
    button(el, 'Dismiss').click();
    expect((await dismissed).recorderId).to.equal('virtual');
  });

  it('shows a burn whose verification was cancelled as written, not failed (issue 19, defect 4)', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .operation=${{
          ...burning,
          options: { clientName: 'webdisc', verify: 'full' },
          running: false,
          result: {
            ok: true,
            value: { ...burned, verify: 'full', sha256: null, verifyCancelled: true },
          },
        }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal('Written; verification cancelled');
    expect(textAt(el, '[data-testid=result-verify]')).to.equal(
      'no: you cancelled the verification (every sector was written)',
    );
  });

  it('shows a test write as nothing written', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .operation=${{
          ...burning,
          options: { clientName: 'webdisc', simulate: true },
          running: false,
          result: {
            ok: true,
            value: { ...burned, simulated: true, sha256: null, verify: 'none', speedKBps: null },
          },
        }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal(
      'Test write completed: nothing was written',
    );
    expect(textAt(el, '[data-testid=result-verify]')).to.equal('no (test write)');
    expect(textOf(el)).to.contain("maximum (the drive's choice)");
  });

  it('shows a failed verification: the error, last written and first bad LBA, the disc left', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .operation=${{ ...burning, running: false, result: { ok: false, error: verificationFailure } }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal('Burn failed');
    const error = $(el, 'wd-error-view');
    expect(textOf(error)).to.contain('E_IMAPI_BURN_VERIFICATION_FAILED');
    expect(textOf(error)).to.contain('0xC0AA0007');
    expect(textAt(el, '[data-testid=result-last-lba]')).to.equal('5,859');
    expect(textAt(el, '[data-testid=result-bad-lba]')).to.equal('1,234');
    expect(textAt(el, '[data-testid=result-disc]')).to.equal(
      'DVD+R, appendable (open session); 1 session; 4.65 GB free',
    );
    await expect(el).to.be.accessible();
    await emulateMedia({ colorScheme: 'dark' });
    await expect(el).to.be.accessible();
  });

  it('shows a cancelled burn that wrote nothing, with the disc state unknown', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .operation=${{
          ...burning,
          running: false,
          result: {
            ok: false,
            error: {
              hresult: 0xc0aa0002 | 0,
              name: 'E_IMAPI_REQUEST_CANCELLED',
              message: 'The burn was cancelled.',
              sense: null,
              lastWrittenLba: null,
              firstBadLba: null,
              disc: null,
            },
          },
        }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal('Burn cancelled');
    expect(textAt(el, '[data-testid=result-last-lba]')).to.equal('none: nothing was written');
    expect(el.shadowRoot!.querySelector('[data-testid=result-bad-lba]')).to.equal(null);
    expect(textAt(el, '[data-testid=result-disc]')).to.equal('unknown (see the Media panel)');
  });

  it('shows a completed erase with the blank disc', async () => {
    const el = await fixture<WdProgress>(
      html`<wd-progress
        .operation=${{
          ...erasing,
          running: false,
          result: {
            ok: true,
            value: { method: 'blank-minimal', durationMs: 65_000, disc: blankCdRw },
          },
        }}
      ></wd-progress>`,
    );
    expect(textAt(el, '[data-testid=result-headline]')).to.equal('Erase completed');
    expect(textOf(el)).to.contain('quick blank');
    expect(textOf(el)).to.contain('1:05');
    expect(textAt(el, '[data-testid=result-disc]')).to.equal(
      'CD-RW, blank; 0 sessions; 737 MB free',
    );
    await expect(el).to.be.accessible();
  });
});
