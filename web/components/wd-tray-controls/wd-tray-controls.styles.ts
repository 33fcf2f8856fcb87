import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .notice {
      margin: 0.5rem 0;
    }
    .refusal {
      margin: 0.25rem 0 0;
    }
  `,
];
