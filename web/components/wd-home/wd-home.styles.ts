import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .panel {
      border-color: var(--wd-accent);
    }
    h2 {
      font-size: 1rem;
      font-weight: 600;
    }
    .disc {
      font-size: 1.35rem;
      font-weight: 700;
      margin: 0.2rem 0 0.7rem;
    }
    .jobs {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
      gap: 0.5rem;
    }
    .jobs button {
      min-height: 2.75rem;
    }
    .why,
    .notice {
      margin: 0.6rem 0 0;
      padding: 0.45rem 0.7rem;
      border-radius: 6px;
      background: var(--wd-warn-bg);
      color: var(--wd-warn-fg);
    }
    .help {
      font-size: 0.88rem;
      color: var(--wd-muted);
      margin: 0.4rem 0 0;
    }
    .tray {
      margin-top: 0.75rem;
      padding-top: 0.6rem;
      border-top: 1px solid var(--wd-divider);
    }
  `,
];
