import { expect, fixture, html } from '@open-wc/testing';
import type { MediaState } from '../../../contract/api.ts';
import {
  DialogName,
  RecorderAction,
  type WdOpenDialogEvent,
  type WdRecorderActionEvent,
} from '../../lib/events.ts';
import { $$, button, nextEvent, textAt, textOf } from '../../test/helpers.ts';
import {
  blankCdR,
  blankDvd,
  cdR,
  dataCd,
  lockHeldBy,
  lockedError,
  noDisc,
  usedCdRw,
} from '../../test/samples.ts';
import './wd-home.ts';
import type { WdHome } from './wd-home.ts';

/** A DVD+R with one session of 100,000 sectors, open for more. */
const appendableDvd: MediaState = {
  ...blankDvd,
  status: 'appendable',
  sessions: 1,
  tracks: [
    { number: 1, session: 1, start: 0, size: 100_000, mode: 'data' },
    { number: 2, session: 2, start: 102_000, size: 2_193_104, mode: 'data' },
  ],
  freeBlocks: 2_193_104,
  nextWritableAddress: 102_000,
};

const finalizedCdR: MediaState = {
  ...usedCdRw,
  profile: cdR,
  physicalType: 'IMAPI_MEDIA_TYPE_CDR',
  erasable: false,
};

async function home(media: MediaState | null, extra: Partial<WdHome> = {}) {
  const el = await fixture<WdHome>(
    html`<wd-home recorder-id="virtual" drive-name="Virtual recorder" .media=${media}></wd-home>`,
  );
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

/** The job buttons, by their words. */
const jobs = (el: WdHome) =>
  $$<HTMLButtonElement>(el, '[data-testid=jobs] button').map((b) => b.textContent!.trim());
const why = (el: WdHome) => $$(el, '[data-testid=why-not]').map((p) => p.textContent!.trim());

describe('wd-home', () => {
  it('a blank disc: in words with its free space, and the burn jobs first', async () => {
    const el = await home(blankDvd);
    expect(textAt(el, '[data-testid=disc-words]')).to.equal('Blank DVD+R, 4.70 GB free.');
    expect(jobs(el)).to.deep.equal(['Burn files…', 'Burn an image…']);
    expect(why(el)).to.deep.equal([]);
    expect($$(el, '[data-testid=jobs] button')[0]!.classList.contains('primary')).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('an appendable disc: its data and free space, add files, and the disc jobs', async () => {
    const el = await home(appendableDvd);
    expect(textAt(el, '[data-testid=disc-words]')).to.equal(
      'DVD+R with 205 MB of data, open for more: 4.49 GB free.',
    );
    expect(jobs(el)).to.deep.equal([
      'Burn an image…',
      'Add files to this disc…',
      'Save disc as image…',
      'Browse files…',
      'Verify…',
      'Copy disc…',
    ]);
    expect(why(el)).to.deep.equal([]);
  });

  it('a finalized disc explains why it cannot take files; a rewritable one can be erased', async () => {
    const cdr = await home(finalizedCdR);
    expect(textAt(cdr, '[data-testid=disc-words]')).to.equal(
      'Finalized CD-R with 10.2 MB of data.',
    );
    expect(jobs(cdr)).to.deep.equal([
      'Save disc as image…',
      'Browse files…',
      'Verify…',
      'Copy disc…',
    ]);
    expect(why(cdr)).to.deep.equal(['This disc is finalized: it cannot take more files.']);

    const rw = await home(usedCdRw);
    expect(jobs(rw)).to.include('Erase…');
    expect(jobs(rw)).not.to.include('Burn files…');
    expect(why(rw)).to.deep.equal([
      'This disc is finalized: it cannot take more files. Erase it to use it again.',
    ]);
  });

  it('a pressed disc can only be read, and says so', async () => {
    const el = await home(dataCd);
    expect(textAt(el, '[data-testid=disc-words]')).to.equal(
      'CD-ROM with 512 MB of data (read-only).',
    );
    expect(jobs(el)).to.deep.equal([
      'Save disc as image…',
      'Browse files…',
      'Verify…',
      'Copy disc…',
    ]);
    expect(why(el)).to.deep.equal(['A CD-ROM cannot be written or erased: it can only be read.']);
  });

  it('no disc, tray open: says so, offers Close tray, and no jobs', async () => {
    const el = await home(noDisc, { trayOpen: true });
    expect(textAt(el, '[data-testid=disc-words]')).to.equal(
      'The tray is open, with no disc in it.',
    );
    expect(jobs(el)).to.deep.equal([]);
    expect(why(el)).to.deep.equal(['Insert a disc to burn, save, browse or erase it.']);
    expect(() => button(el, 'Eject')).to.throw();
    const action = nextEvent<WdRecorderActionEvent>(el, 'wd-recorder-action');
    button(el, 'Close tray').click();
    expect((await action).action).to.equal(RecorderAction.CloseTray);
  });

  it('no disc, tray closed; and while the disc is read', async () => {
    const el = await home({ ...noDisc, trayOpen: false }, { trayOpen: false });
    expect(textAt(el, '[data-testid=disc-words]')).to.equal('No disc in the drive.');
    expect(() => button(el, 'Close tray')).to.throw();
    el.media = null;
    el.loading = true;
    await el.updateComplete;
    expect(textAt(el, '[data-testid=disc-words]')).to.equal('Reading the disc….');
  });

  it('asks the shell for the job dialog and for Eject; every job waits while one runs', async () => {
    const el = await home(blankCdR, { trayOpen: false });
    const open = nextEvent<WdOpenDialogEvent>(el, 'wd-open-dialog');
    button(el, 'Burn files…').click();
    const e = await open;
    expect([e.recorderId, e.dialog]).to.deep.equal(['virtual', DialogName.Files]);
    const eject = nextEvent<WdRecorderActionEvent>(el, 'wd-recorder-action');
    button(el, 'Eject').click();
    expect((await eject).action).to.equal(RecorderAction.Eject);

    el.busy = true;
    await el.updateComplete;
    for (const b of $$<HTMLButtonElement>(el, 'button'))
      expect(b.disabled, b.textContent!).to.equal(true);
    expect(textAt(el, '[data-testid=jobs-help]')).to.contain('see Progress');
  });

  it('a refused eject says who uses the drive, in words, with the code in the details', async () => {
    const el = await home(blankCdR, {
      lock: lockHeldBy('Nightly Backup', 1, false),
      trayError: lockedError('Nightly Backup'),
    });
    expect(textAt(el, '[data-testid=held-elsewhere]')).to.contain(
      'The drive is used by Nightly Backup',
    );
    // The first error view is the disc read's (empty here); the second the tray's.
    const tray = $$(el, 'wd-error-view')[1]!;
    expect(textOf(tray)).to.contain('The tray did not move: The drive is used by Nightly Backup.');
    expect(textOf(tray)).to.contain('E_IMAPI_RECORDER_LOCKED 0xC0AA0210');
  });

  it('on the virtual recorder, says how Eject differs from the drive’s own eject button', async () => {
    const el = await home(blankCdR, { virtual: true });
    expect(textAt(el, '[data-testid=eject-help]')).to.contain('the button on the drive itself');
  });
});
