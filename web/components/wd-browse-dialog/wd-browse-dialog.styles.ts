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
    .where {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .scroll {
      max-height: 50vh;
      overflow: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: start;
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--border, #ccc);
    }
    .num {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
    button.link {
      background: none;
      border: none;
      padding: 0;
      color: var(--accent, #1356c4);
      text-decoration: underline;
      cursor: pointer;
      font: inherit;
    }
    .file-input {
      display: none;
    }
  `,
];
