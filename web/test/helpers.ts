import { waitUntil } from '@open-wc/testing';

/** The element matching `selector` in `host`'s shadow root (throws when absent). */
export function $<E extends Element = HTMLElement>(host: Element, selector: string): E {
  const el = host.shadowRoot?.querySelector<E>(selector);
  if (!el) throw new Error(`no ${selector} in <${host.localName}>`);
  return el;
}

export function $$<E extends Element = HTMLElement>(host: Element, selector: string): E[] {
  return [...(host.shadowRoot?.querySelectorAll<E>(selector) ?? [])];
}

/**
 * Text of the shadow root, whitespace collapsed, nested shadow roots included.
 * Text nodes of one element join without a space (Lit splits `a ${b}c` into
 * several); element boundaries count as a space.
 */
export function textOf(host: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      parts.push(node.textContent ?? '');
      return;
    }
    const isElement = node instanceof Element;
    if (isElement) {
      if (node.localName === 'style') return;
      parts.push(' ');
      if (node.shadowRoot) walk(node.shadowRoot);
    }
    node.childNodes.forEach(walk);
    if (isElement) parts.push(' ');
  };
  walk(host.shadowRoot ?? host);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** A button in the shadow root by its visible text. */
export function button(host: Element, text: string): HTMLButtonElement {
  const found = $$<HTMLButtonElement>(host, 'button').find((b) => b.textContent?.trim() === text);
  if (!found) throw new Error(`no button “${text}” in <${host.localName}>`);
  return found;
}

/** Waits until `textOf(host)` contains `text`. */
export async function waitForText(host: Element, text: string): Promise<void> {
  await waitUntil(
    () => textOf(host).includes(text),
    `“${text}” never appeared; text was: ${textOf(host).slice(0, 400)}`,
    { timeout: 3000 },
  );
}

/** The next event of `type` that reaches `target`. */
export function nextEvent<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) =>
    target.addEventListener(type, (e) => resolve(e as E), { once: true }),
  );
}

/** The text of one element in `host`'s shadow root, whitespace collapsed and trimmed. */
export function textAt(host: Element, selector: string): string {
  return ($(host, selector).textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Chooses `file` in a file input, as a person picking it would (a change event). */
export function chooseFile(input: HTMLInputElement, file: File): void {
  const dt = new DataTransfer();
  dt.items.add(file);
  input.files = dt.files;
  input.dispatchEvent(new Event('change'));
}
