import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .error {
      border-left: 4px solid var(--wd-danger);
      background: var(--wd-danger-soft);
      border-radius: 6px;
      padding: 0.5rem 0.75rem;
      margin: 0.5rem 0;
      overflow-wrap: anywhere;
    }
    .error p {
      margin: 0.15rem 0;
    }
    .said {
      color: var(--wd-muted);
    }
    .label {
      color: var(--wd-danger);
      font-weight: 700;
    }
    .codes {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 0.75rem;
      font-size: 0.9rem;
      color: var(--wd-muted);
    }
  `,
];
