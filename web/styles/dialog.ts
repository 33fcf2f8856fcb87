import { css } from 'lit';

/**
 * A labelled field with help and an error line (lib/dialog-parts.ts's
 * clientNameField), and a checkbox with its label: the dialogs' and the lock
 * panel's.
 */
export const fields = css`
  .field {
    display: grid;
    gap: 0.2rem;
  }
  .field > label {
    font-weight: 600;
  }
  input[aria-invalid='true'] {
    border-color: var(--wd-danger);
    border-width: 2px;
  }
  .help {
    font-size: 0.88rem;
    color: var(--wd-muted);
    margin: 0;
  }
  .chars {
    white-space: nowrap;
  }
  .field-error {
    font-size: 0.9rem;
    color: var(--wd-danger);
    margin: 0;
    font-weight: 600;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
  }
  .check input {
    margin-top: 0.2rem;
    flex: none;
  }
`;

/**
 * The modal <dialog> the erase and burn dialogs share: sized for a phone and
 * a desktop, scrolling inside itself, with form fields, fieldsets and a
 * warning block in the theme's colours.
 */
export const dialog = css`
  dialog {
    width: min(40rem, calc(100vw - 1.5rem));
    max-height: calc(100dvh - 1.5rem);
    padding: 0;
    border: 1px solid var(--wd-border);
    border-radius: var(--wd-radius);
    background: var(--wd-surface);
    color: var(--wd-fg);
    overflow: auto;
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.35);
  }
  dialog::backdrop {
    background: rgb(10 14 22 / 0.55);
  }
  /* minmax(0, 1fr): long words and wide controls wrap instead of widening the dialog. */
  .body {
    padding: 1rem 1.1rem 1.1rem;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.75rem;
  }
  h2 {
    font-size: 1.2rem;
    margin: 0;
  }
  h3 {
    margin: 0;
  }
  form {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 0.75rem;
  }
  fieldset {
    border: 1px solid var(--wd-divider);
    border-radius: 8px;
    margin: 0;
    padding: 0.5rem 0.75rem 0.65rem;
    display: grid;
    gap: 0.4rem;
    min-width: 0;
  }
  legend {
    font-weight: 600;
    padding: 0 0.25rem;
  }
  ${fields}
  .check span {
    min-width: 0;
  }
  .check .help {
    display: block;
  }
  .check.disabled {
    cursor: not-allowed;
    color: var(--wd-muted);
  }
  .warning {
    border-left: 4px solid var(--wd-danger);
    background: var(--wd-danger-soft);
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
    margin: 0;
    font-weight: 600;
  }
  .refusal {
    border-left: 4px solid var(--wd-danger);
    background: var(--wd-danger-soft);
    color: var(--wd-fg);
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
    margin: 0;
  }
  .notice {
    margin: 0;
  }
  /* The dialog scrolls as a whole; its buttons stay in view at the bottom. */
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5rem;
    position: sticky;
    bottom: 0;
    margin: 0 -1.1rem -1.1rem;
    padding: 0.75rem 1.1rem;
    background: var(--wd-surface);
    border-top: 1px solid var(--wd-divider);
  }
  button.primary.danger {
    background: var(--wd-danger);
    border-color: var(--wd-danger);
    color: var(--wd-surface);
  }
  dl.facts dd code {
    overflow-wrap: anywhere;
  }
`;
