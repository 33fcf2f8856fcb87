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
    h2:focus {
      outline: none;
    }
    h2:focus-visible {
      outline: 3px solid var(--wd-focus);
    }
    .title {
      margin: 0 0 0.25rem;
      overflow-wrap: anywhere;
    }
    .result {
      border-left: 4px solid var(--wd-ok);
      padding: 0.1rem 0 0.2rem 0.75rem;
      margin-top: 0.4rem;
    }
    .result.failed {
      border-left-color: var(--wd-danger);
    }
    .headline {
      font-weight: 700;
      font-size: 1.05rem;
      margin: 0 0 0.4rem;
    }
    .result.ok .headline {
      color: var(--wd-ok);
    }
    .result.failed .headline {
      color: var(--wd-danger);
    }
    .hash {
      overflow-wrap: anywhere;
      word-break: break-all;
    }
  `,
];
