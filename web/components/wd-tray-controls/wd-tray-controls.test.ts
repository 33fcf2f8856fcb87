import { expect, fixture, html } from '@open-wc/testing';
import { RecorderAction, WdRecorderActionEvent } from '../../lib/events.ts';
import { $, button, nextEvent, textOf } from '../../test/helpers.ts';
import { freeLock, lockHeldBy, lockedError } from '../../test/samples.ts';
import './wd-tray-controls.ts';
import type { WdTrayControls } from './wd-tray-controls.ts';

describe('wd-tray-controls', () => {
  it('ejects and closes the tray', async () => {
    const el = await fixture<WdTrayControls>(
      html`<wd-tray-controls
        recorder-id="virtual"
        .trayOpen=${false}
        .lock=${freeLock}
      ></wd-tray-controls>`,
    );
    expect($(el, '[data-testid=tray-state]').textContent).to.equal('closed');
    const eject = nextEvent<WdRecorderActionEvent>(el, WdRecorderActionEvent.type);
    button(el, 'Eject').click();
    expect((await eject).action).to.equal(RecorderAction.Eject);
    const close = nextEvent<WdRecorderActionEvent>(el, WdRecorderActionEvent.type);
    button(el, 'Close tray').click();
    expect((await close).action).to.equal(RecorderAction.CloseTray);
    await expect(el).to.be.accessible();
  });

  it('gives the reason and the owner when another session holds the lock', async () => {
    const el = await fixture<WdTrayControls>(
      html`<wd-tray-controls
        recorder-id="virtual"
        .trayOpen=${false}
        .lock=${lockHeldBy('Burner tab', 1, false)}
        .error=${lockedError('Burner tab')}
      ></wd-tray-controls>`,
    );
    const text = textOf(el);
    expect(text).to.contain('Burner tab holds this drive');
    expect(text).to.contain(
      'Refused: The recorder is locked for exclusive access by “Burner tab”.',
    );
    expect(text).to.contain('E_IMAPI_RECORDER_LOCKED 0xC0AA0210');
    expect($(el, '[data-testid=refusal-owner]').textContent).to.contain('Burner tab');
    await expect(el).to.be.accessible();
  });

  it("tells when the drive's eject button was pressed while locked", async () => {
    const el = await fixture<WdTrayControls>(
      html`<wd-tray-controls
        recorder-id="virtual"
        .lock=${lockHeldBy('me')}
        eject-requested
      ></wd-tray-controls>`,
    );
    expect(textOf(el)).to.contain("Someone pressed the drive's eject button");
    expect(textOf(el)).to.contain('Eject here to open it.');
    expect($(el, '[data-testid=tray-state]').textContent).to.equal('unknown');
  });

  it('keeps the tray shut while an erase or burn runs', async () => {
    const el = await fixture<WdTrayControls>(
      html`<wd-tray-controls
        recorder-id="virtual"
        .trayOpen=${false}
        .lock=${lockHeldBy('webdisc')}
        busy
      ></wd-tray-controls>`,
    );
    expect(button(el, 'Eject').disabled).to.equal(true);
    expect(button(el, 'Close tray').disabled).to.equal(true);
    expect($(el, '[data-testid=tray-busy]').textContent).to.contain('erase or burn is running');
    await expect(el).to.be.accessible();
  });
});
