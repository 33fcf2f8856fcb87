import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    form {
      display: grid;
      gap: 0.45rem;
      margin-top: 0.75rem;
    }
    .field {
      display: grid;
      gap: 0.2rem;
    }
    .field label {
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
    .count {
      font-size: 1.25rem;
      font-weight: 700;
      font-variant-numeric: tabular-nums;
    }
    .notice {
      margin: 0.5rem 0;
    }
  `,
];
