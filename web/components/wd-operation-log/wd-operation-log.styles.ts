import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .log {
      list-style: none;
      margin: 0.5rem 0 0;
      padding: 0.4rem 0.6rem;
      max-height: 20rem;
      overflow: auto;
      border: 1px solid var(--wd-divider);
      border-radius: 8px;
      font-family: var(--wd-mono);
      font-size: 0.85rem;
    }
    .log li {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .level-W {
      color: var(--wd-warn-fg);
      background: var(--wd-warn-bg);
    }
    .level-E {
      color: var(--wd-danger);
      font-weight: 600;
    }
  `,
];
