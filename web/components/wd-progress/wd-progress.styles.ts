import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    progress {
      width: 100%;
      height: 1.2rem;
      display: block;
      margin: 0.4rem 0;
      accent-color: var(--wd-accent);
    }
    .action {
      font-weight: 700;
      margin: 0;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem 1.2rem;
      align-items: center;
      justify-content: space-between;
    }
    .percent {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    dl.facts {
      margin-bottom: 0.5rem;
    }
  `,
];
