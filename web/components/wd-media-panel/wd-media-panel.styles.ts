import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .capacity {
      margin: 0.75rem 0 0.25rem;
    }
    meter {
      width: 100%;
      height: 1.1rem;
      display: block;
      margin: 0.3rem 0;
    }
    .summary {
      font-size: 1.05rem;
      font-weight: 600;
    }
  `,
];
