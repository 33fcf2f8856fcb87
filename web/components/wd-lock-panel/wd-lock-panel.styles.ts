import { css } from 'lit';
import { fields } from '../../styles/dialog.ts';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  fields,
  css`
    form {
      display: grid;
      gap: 0.45rem;
      margin-top: 0.75rem;
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
