import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    :host(:not([open])) {
      display: none;
    }
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
      background: var(--wd-accent-soft);
      border: 1px solid var(--wd-accent);
      border-radius: var(--wd-radius);
      padding: 0.5rem 0.75rem;
    }
    .banner p {
      margin: 0;
    }
  `,
];
