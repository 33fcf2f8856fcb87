import { LitElement, html, nothing } from 'lit';
import { WdDismissEvent } from '../../lib/events.ts';
import type { UsbProblem } from '../../lib/usb-problems.ts';
import { styles } from './wd-usb-notice.styles.ts';

/**
 * Why a USB drive could not be used, and what to do about it: Chrome refused
 * the protected mass-storage interface (SecurityError) or the operating
 * system holds it (NetworkError). Words only, never a stack trace.
 */
export class WdUsbNotice extends LitElement {
  static override styles = styles;
  static override properties = {
    problem: { attribute: false },
  };

  declare problem: UsbProblem | null;

  constructor() {
    super();
    this.problem = null;
  }

  #said() {
    const e = this.problem?.error;
    if (!e) return nothing;
    return html`<p class="said muted">Chrome said: <code>${e.name}</code> — ${e.message}</p>`;
  }

  #dismiss() {
    this.dispatchEvent(new WdDismissEvent());
  }

  override render() {
    const p = this.problem;
    if (!p) return nothing;
    const body =
      p.kind === 'security'
        ? html`
            <h2 id="h">Chrome will not let this page use the drive</h2>
            <p>
              Chrome refused the drive's USB interface (a <strong>SecurityError</strong>). Disc
              drives are USB mass-storage devices, a protected class that Chrome keeps away from
              ordinary web pages so that no site can read your disks.
            </p>
            ${this.#said()}
            <p><strong>What you can do:</strong></p>
            <ol>
              <li>
                Install the <strong>webdisc Isolated Web App</strong> build. As an installed, signed
                app it is allowed to use the drive's interface; the drive then works here as it does
                for the virtual recorder.
              </li>
              <li>
                Or use the <strong>command-line tool</strong>: run <code>webdisc</code> with Node.js
                (20 or later). It talks to the drive through libusb, outside the browser.
              </li>
            </ol>
          `
        : html`
            <h2 id="h">Your operating system is using the drive</h2>
            <p>
              Chrome could not claim the drive's USB interface (a <strong>NetworkError</strong>):
              the operating system's own driver (usb-storage, the CD/DVD driver) holds it.
            </p>
            ${this.#said()}
            <p><strong>What you can do:</strong></p>
            <ol>
              <li>
                On Linux, <strong>unbind usb-storage</strong> from the drive, then connect it again.
                Find the interface (for example <code>2-1:1.0</code>) in
                <code>/sys/bus/usb/drivers/usb-storage/</code> and run:
                <pre>echo -n 2-1:1.0 | sudo tee /sys/bus/usb/drivers/usb-storage/unbind</pre>
                To do this every time the drive is plugged in, add a udev rule (for example
                <code>/etc/udev/rules.d/70-webdisc.rules</code>) with your drive's vendor and
                product IDs in hex:
                <pre>
ACTION=="bind", SUBSYSTEM=="usb", DRIVER=="usb-storage", ATTRS{idVendor}=="VVVV", ATTRS{idProduct}=="PPPP", RUN+="/bin/sh -c 'echo -n %k > /sys/bus/usb/drivers/usb-storage/unbind'"</pre>
              </li>
              <li>
                Or use the <strong>command-line tool</strong>: run <code>webdisc</code> with
                Node.js. It can detach the system driver itself (acquire with force) and gives the
                drive back when it is done.
              </li>
            </ol>
          `;
    return html`
      <section
        class="panel"
        role="alert"
        aria-labelledby="h"
        data-testid="usb-explanation"
        data-kind=${p.kind}
      >
        ${body}
        <div class="row"><button @click=${this.#dismiss}>Dismiss</button></div>
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
