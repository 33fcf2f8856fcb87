import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Files dropped anywhere on the host element: `dragging` while files are
 * dragged over it (for a hint), and `onFile` with the first dropped file.
 * A drop something inside already took (it called preventDefault, as the
 * burn dialog's drop zone does) is left alone, and so is anything that is
 * not a file (dragged text or links).
 */
export class FileDropController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #onFile: (file: File) => void;
  /** dragenter/dragleave pairs fire for every child crossed: count them. */
  #depth = 0;
  dragging = false;

  constructor(host: ReactiveControllerHost & HTMLElement, onFile: (file: File) => void) {
    this.#host = host;
    this.#onFile = onFile;
    host.addController(this);
  }

  #hasFiles(e: DragEvent): boolean {
    return !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  }

  #set(dragging: boolean): void {
    if (dragging === this.dragging) return;
    this.dragging = dragging;
    this.#host.requestUpdate();
  }

  readonly #enter = (e: DragEvent) => {
    if (!this.#hasFiles(e)) return;
    this.#depth++;
    this.#set(true);
  };

  readonly #over = (e: DragEvent) => {
    if (!this.#hasFiles(e)) return;
    // Without preventDefault on dragover the browser refuses the drop (and opens the file).
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };

  readonly #leave = (e: DragEvent) => {
    if (!this.#hasFiles(e)) return;
    this.#depth = Math.max(0, this.#depth - 1);
    if (this.#depth === 0) this.#set(false);
  };

  readonly #drop = (e: DragEvent) => {
    this.#depth = 0;
    this.#set(false);
    if (e.defaultPrevented || !this.#hasFiles(e)) return;
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) this.#onFile(file);
  };

  hostConnected(): void {
    const h = this.#host;
    h.addEventListener('dragenter', this.#enter);
    h.addEventListener('dragover', this.#over);
    h.addEventListener('dragleave', this.#leave);
    h.addEventListener('drop', this.#drop);
  }

  hostDisconnected(): void {
    const h = this.#host;
    h.removeEventListener('dragenter', this.#enter);
    h.removeEventListener('dragover', this.#over);
    h.removeEventListener('dragleave', this.#leave);
    h.removeEventListener('drop', this.#drop);
  }
}
