import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    fieldset {
      border: 0;
      margin: 0 0 0.75rem;
      padding: 0;
      display: grid;
      gap: 0.4rem;
    }
    .drive {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr);
      gap: 0.1rem 0.6rem;
      align-items: center;
      padding: 0.5rem 0.6rem;
      border: 1px solid var(--wd-divider);
      border-radius: 8px;
    }
    .drive:has(input:checked) {
      border-color: var(--wd-accent);
      background: var(--wd-accent-soft);
    }
    .drive .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .drive .meta {
      grid-column: 2;
      font-size: 0.88rem;
      color: var(--wd-muted);
      overflow-wrap: anywhere;
    }
    .virtual {
      margin-top: 0.9rem;
      padding-top: 0.6rem;
      border-top: 1px solid var(--wd-divider);
    }
    select {
      flex: 1 1 10rem;
    }
    .hidden-input {
      display: none;
    }
    .virtual .row + .row {
      margin-top: 0.5rem;
    }
  `,
];
