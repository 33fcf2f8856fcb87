import { LitElement, html, nothing } from 'lit';
import { WdDismissEvent } from '../../lib/events.ts';
import type { UsbProblem } from '../../lib/usb-problems.ts';
import { styles } from './wd-usb-notice.styles.ts';

/**
 * Why this page cannot use a real drive, and the ways in, in one place:
 * Chrome refused the protected mass-storage interface (SecurityError), the
 * operating system holds it (NetworkError), or the browser has no WebUSB at
 * all (`unavailable`). Each case says its cause in a sentence and then the
 * same three ways in: the installed app, the CLI, unbinding usb-storage.
 * Words only, never a stack trace.
 */
export class WdUsbNotice extends LitElement {
  static override styles = styles;
  static override properties = {
    problem: { attribute: false },
    unavailable: { type: Boolean },
  };

  declare problem: UsbProblem | null;
  /** This browser has no WebUSB (no problem happened: there is no way to try). */
  declare unavailable: boolean;

  constructor() {
    super();
    this.problem = null;
    this.unavailable = false;
  }

  #said() {
    const e = this.problem?.error;
    if (!e) return nothing;
    return html`<p class="said muted">Chrome said: <code>${e.name}</code> — ${e.message}</p>`;
  }

  #dismiss() {
    this.dispatchEvent(new WdDismissEvent());
  }

  /** The three ways in, whatever stopped this page. */
  #waysIn() {
    return html`
      <p><strong>Ways to use a real drive:</strong></p>
      <ol data-testid="ways-in">
        <li>
          <strong>The installed app</strong> (ChromeOS, or Chrome with Isolated Web Apps on):
          install the <strong>webdisc Isolated Web App</strong> build. Its manifest grants the
          <code>usb-unrestricted</code> permission, so as an installed, signed app it may use the
          drive's interface; the drive then works here as the virtual recorder does.
        </li>
        <li>
          <strong>The command-line tool</strong>: run <code>npx webdisc list</code> with Node.js 20
          or later. It talks to the drive through libusb, outside the browser, and can detach the
          system driver itself (<code>lock --force</code>) and give the drive back after.
        </li>
        <li>
          <strong>On Linux, unbind usb-storage</strong> from the drive (needed for the installed
          app), then connect it again. Find the interface (for example <code>2-1:1.0</code>) in
          <code>/sys/bus/usb/drivers/usb-storage/</code> and run:
          <pre>echo -n 2-1:1.0 | sudo tee /sys/bus/usb/drivers/usb-storage/unbind</pre>
          To do this every time the drive is plugged in, add a udev rule (for example
          <code>/etc/udev/rules.d/70-webdisc.rules</code>) with your drive's vendor and product IDs
          in hex:
          <pre>
ACTION=="bind", SUBSYSTEM=="usb", DRIVER=="usb-storage", ATTRS{idVendor}=="VVVV", ATTRS{idProduct}=="PPPP", RUN+="/bin/sh -c 'echo -n %k > /sys/bus/usb/drivers/usb-storage/unbind'"</pre>
        </li>
      </ol>
    `;
  }

  #cause(p: UsbProblem) {
    return p.kind === 'security'
      ? html`
          <h2 id="h">Chrome will not let this page use the drive</h2>
          <p>
            Chrome refused the drive's USB interface (a <strong>SecurityError</strong>). Disc drives
            are USB mass-storage devices, a protected class that Chrome keeps away from ordinary web
            pages so that no site can read your disks.
          </p>
        `
      : html`
          <h2 id="h">Your operating system is using the drive</h2>
          <p>
            Chrome could not claim the drive's USB interface (a <strong>NetworkError</strong>): the
            operating system's own driver (usb-storage, the CD/DVD driver) holds it.
          </p>
        `;
  }

  override render() {
    const p = this.problem;
    if (p) {
      return html`
        <section
          class="panel"
          role="alert"
          aria-labelledby="h"
          data-testid="usb-explanation"
          data-kind=${p.kind}
        >
          ${this.#cause(p)} ${this.#said()} ${this.#waysIn()}
          <div class="row"><button @click=${this.#dismiss}>Dismiss</button></div>
        </section>
      `;
    }
    if (!this.unavailable) return nothing;
    return html`
      <section
        class="panel calm"
        aria-labelledby="h"
        data-testid="usb-explanation"
        data-kind="unavailable"
      >
        <h2 id="h">This browser cannot reach USB drives</h2>
        <p>It has no WebUSB, so only the virtual recorder works here.</p>
        ${this.#waysIn()}
      </section>
    `;
  }
}

customElements.define('wd-usb-notice', WdUsbNotice);

declare global {
  interface HTMLElementTagNameMap {
    'wd-usb-notice': WdUsbNotice;
  }
}
