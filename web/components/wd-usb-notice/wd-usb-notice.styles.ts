import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .panel {
      border: 2px solid var(--wd-danger);
    }
    h2 {
      color: var(--wd-danger);
    }
    /* No WebUSB is a fact about the browser, not a failure: no alarm colours. */
    .panel.calm {
      border: 1px solid var(--wd-divider);
    }
    .calm h2 {
      color: inherit;
    }
    ol {
      margin: 0.4rem 0;
      padding-left: 1.3rem;
    }
    li {
      margin: 0.4rem 0;
    }
    pre {
      font-family: var(--wd-mono);
      font-size: 0.85rem;
      background: var(--wd-surface-2);
      padding: 0.5rem 0.6rem;
      border-radius: 6px;
      overflow-x: auto;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      margin: 0.3rem 0;
    }
    .said {
      font-size: 0.9rem;
    }
  `,
];
