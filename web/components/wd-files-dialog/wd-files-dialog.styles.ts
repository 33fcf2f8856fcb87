import { css } from 'lit';
import { styles as burnStyles } from '../wd-burn-dialog/wd-burn-dialog.styles.ts';

/** The image burn dialog's styles (fields, drop zone, fit line, options), plus the project list. */
export const styles = [
  ...burnStyles,
  css`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: center;
    }
    .project {
      list-style: none;
      margin: 0;
      padding: 0;
      max-height: 16rem;
      overflow: auto;
      border: 1px solid var(--wd-border);
      border-radius: 8px;
    }
    .project ul {
      list-style: none;
      margin: 0;
      padding: 0 0 0 1.25rem;
    }
    .entry {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.35rem 0.5rem;
      padding: 0.25rem 0.5rem;
      border-bottom: 1px solid var(--wd-border);
      min-width: 0;
    }
    .entry .name {
      flex: 1 1 10rem;
      min-width: 0;
      overflow-wrap: anywhere;
    }
    .entry .size {
      color: var(--wd-muted);
      font-variant-numeric: tabular-nums;
    }
    .entry button {
      min-height: 2rem;
      padding: 0.15rem 0.6rem;
    }
    .entry input {
      flex: 1 1 10rem;
      min-width: 0;
      font: inherit;
    }
    .empty {
      margin: 0;
      padding: 0.75rem;
      color: var(--wd-muted);
    }
    .report ul {
      margin: 0.25rem 0;
      padding-left: 1.25rem;
    }
    .report code {
      overflow-wrap: anywhere;
    }
    .hidden-input {
      display: none;
    }
    /* Add files…: the disc's entries, indented by depth (no style attributes under the CSP). */
    [data-depth='1'] {
      margin-inline-start: 1em;
    }
    [data-depth='2'] {
      margin-inline-start: 2em;
    }
    [data-depth='3'] {
      margin-inline-start: 3em;
    }
    [data-depth='4'] {
      margin-inline-start: 4em;
    }
    [data-depth='5'] {
      margin-inline-start: 5em;
    }
    [data-depth='6'] {
      margin-inline-start: 6em;
    }
    [data-depth='7'] {
      margin-inline-start: 7em;
    }
    [data-depth='8'] {
      margin-inline-start: 8em;
    }
  `,
];
