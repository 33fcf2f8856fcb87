import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { WdCloseDialogEvent, type DialogName } from '../lib/events.ts';

/** A component that shows its `open` state in a modal <dialog> of its shadow root. */
export interface ModalDialogHost extends ReactiveControllerHost, HTMLElement {
  readonly open: boolean;
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Keeps a component's modal <dialog> in step with its `open` property (the
 * shell owns `open`), and turns the dialog's own closing (Escape) and the
 * component's Cancel/Close buttons into one WdCloseDialogEvent for the shell.
 * The burn and erase dialogs share it.
 */
export class ModalDialogController implements ReactiveController {
  readonly #host: ModalDialogHost;
  readonly #name: DialogName;

  constructor(host: ModalDialogHost, name: DialogName) {
    this.#host = host;
    this.#name = name;
    host.addController(this);
  }

  hostUpdated(): void {
    const d = this.#host.renderRoot.querySelector('dialog');
    if (!d) return;
    if (this.#host.open && !d.open) d.showModal();
    else if (!this.#host.open && d.open) d.close();
  }

  /** Cancel / Close: ask the shell to close the dialog. */
  readonly requestClose = (): void => {
    this.#host.dispatchEvent(new WdCloseDialogEvent(this.#name));
  };

  /** The <dialog> closed itself (Escape): tell the shell, which owns `open`. */
  readonly onClose = (): void => {
    if (this.#host.open) this.requestClose();
  };
}
