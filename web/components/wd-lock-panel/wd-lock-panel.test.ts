import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { RecorderAction, WdAcquireEvent, WdRecorderActionEvent } from '../../lib/events.ts';
import { $, button, nextEvent, textOf } from '../../test/helpers.ts';
import { freeLock, lockHeldBy } from '../../test/samples.ts';
import './wd-lock-panel.ts';
import type { WdLockPanel } from './wd-lock-panel.ts';

function render(lock = freeLock) {
  return fixture<WdLockPanel>(
    html`<wd-lock-panel recorder-id="virtual" .lock=${lock}></wd-lock-panel>`,
  );
}

async function type(el: WdLockPanel, value: string) {
  const input = $<HTMLInputElement>(el, '#client-name');
  input.value = value;
  input.dispatchEvent(new Event('input'));
  await el.updateComplete;
}

describe('wd-lock-panel', () => {
  it('shows the lock count and the owner', async () => {
    const el = await render(lockHeldBy('Burner tab', 2));
    expect($(el, '[data-testid=lock-count]').textContent!.trim()).to.equal('2');
    expect($(el, '[data-testid=lock-owner]').textContent).to.contain('Burner tab');
    expect($(el, '[data-testid=lock-owner]').textContent).to.contain('(this tab)');
    expect(button(el, 'Release').disabled).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('acquires with the client name and the force toggle, from the keyboard', async () => {
    const el = await render();
    expect(button(el, 'Release').disabled).to.equal(true);
    await type(el, 'Tab 2: burner');
    $<HTMLInputElement>(el, 'input[type=checkbox]').click();
    const event = nextEvent<WdAcquireEvent>(el, WdAcquireEvent.type);
    $<HTMLInputElement>(el, '#client-name').focus();
    await sendKeys({ press: 'Enter' });
    const e = await event;
    expect([e.recorderId, e.clientName, e.force]).to.deep.equal(['virtual', 'Tab 2: burner', true]);
  });

  for (const [name, why] of [
    ['', 'Enter a client name'],
    ['x'.repeat(64), 'at most 63'],
    ['café/tab', 'Not allowed: “é” “/”'],
  ] as const) {
    it(`refuses the client name ${JSON.stringify(name.slice(0, 10))} without asking the worker`, async () => {
      const el = await render();
      let fired = false;
      el.addEventListener(WdAcquireEvent.type, () => (fired = true));
      await type(el, name);
      button(el, 'Acquire').click();
      await el.updateComplete;
      expect(fired).to.equal(false);
      expect($(el, '[data-testid=client-name-error]').textContent).to.contain(why);
      const input = $<HTMLInputElement>(el, '#client-name');
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect(input.getAttribute('aria-describedby')).to.contain('client-name-error');
      expect(el.shadowRoot!.activeElement).to.equal(input);
      await expect(el).to.be.accessible();
    });
  }

  it('accepts exactly 63 characters', async () => {
    const el = await render();
    await type(el, 'a'.repeat(63));
    const event = nextEvent<WdAcquireEvent>(el, WdAcquireEvent.type);
    button(el, 'Acquire').click();
    expect((await event).clientName).to.have.length(63);
  });

  it('releases', async () => {
    const el = await render(lockHeldBy('me'));
    const event = nextEvent<WdRecorderActionEvent>(el, WdRecorderActionEvent.type);
    button(el, 'Release').click();
    expect((await event).action).to.equal(RecorderAction.Release);
  });

  it("shows another session's lock live, with its owner's name", async () => {
    const el = await render();
    expect(textOf(el)).to.contain('free');
    el.lock = lockHeldBy('Other tab', 1, false);
    await el.updateComplete;
    expect($(el, '[data-testid=lock-owner]').textContent).to.contain('Other tab');
    expect($(el, '[data-testid=lock-owner]').textContent).to.contain('(another session)');
    expect($(el, '[data-testid=lock-count]').textContent!.trim()).to.equal('0');
    expect($(el, '[data-testid=busy-notice]').textContent).to.contain('Other tab holds this drive');
    await expect(el).to.be.accessible();
  });

  it('offers "Unlock tray" for a stale lock', async () => {
    const el = await render({ ...freeLock, trayLocked: true, stale: true });
    expect($(el, '[data-testid=stale-notice]').textContent).to.contain(
      'no running session owns it',
    );
    const event = nextEvent<WdRecorderActionEvent>(el, WdRecorderActionEvent.type);
    button(el, 'Unlock tray').click();
    expect((await event).action).to.equal(RecorderAction.UnlockTray);
    await expect(el).to.be.accessible();
  });

  it("shows the worker's refusal", async () => {
    const el = await render(lockHeldBy('Other tab', 1, false));
    el.error = {
      hresult: 0x80070005 | 0,
      name: 'E_ACCESS_DENIED',
      message: '“Other tab” holds exclusive access.',
      sense: null,
    };
    await el.updateComplete;
    expect(textOf(el)).to.contain('E_ACCESS_DENIED 0x80070005');
    await expect(el).to.be.accessible();
  });
});
