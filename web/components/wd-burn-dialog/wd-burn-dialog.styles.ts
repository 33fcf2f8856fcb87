import { css } from 'lit';
import { dialog } from '../../styles/dialog.ts';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  dialog,
  css`
    :host {
      display: contents;
    }
    .drop {
      grid-template-columns: minmax(0, 1fr);
      border: 2px dashed var(--wd-border);
      border-radius: 8px;
      padding: 0.6rem 0.75rem;
      display: grid;
      gap: 0.35rem;
    }
    .drop.dragging {
      border-color: var(--wd-accent);
      background: var(--wd-accent-soft);
    }
    .drop > label {
      font-weight: 600;
    }
    input[type='file'] {
      font: inherit;
      max-width: 100%;
      min-height: 2.5rem;
    }
    input[type='file']::file-selector-button {
      font: inherit;
      font-weight: 600;
      min-height: 2.5rem;
      padding: 0.35rem 0.9rem;
      margin-right: 0.75rem;
      border-radius: 8px;
      border: 1px solid var(--wd-border);
      background: var(--wd-surface);
      color: var(--wd-fg);
      cursor: pointer;
    }
    .fit {
      font-weight: 600;
      margin: 0;
    }
    .fit.ok {
      color: var(--wd-ok);
    }
    .fit.bad {
      color: var(--wd-danger);
    }
    .drop {
      min-width: 0;
    }
    .options {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.75rem;
    }
    @media (min-width: 640px) {
      .options {
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      }
      .options > .span {
        grid-column: 1 / -1;
      }
    }
    .field select {
      width: 100%;
    }
    /* A grid row is as high as its tallest cell (the CD write mode beside the
       speed); a cell's own rows then stretched to fill it: a tall select
       pushed away from its label, choices spread apart (issue 19). The cells
       keep the row's height; their content stays at the top. */
    .options > .field,
    .options > fieldset {
      align-content: start;
    }
  `,
];
