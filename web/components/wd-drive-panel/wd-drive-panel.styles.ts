import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    h2 .spacer {
      flex: 1;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr));
      gap: 0 1.5rem;
    }
    ul.profiles {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-wrap: wrap;
      gap: 0.35rem;
    }
    ul.profiles li {
      border: 1px solid var(--wd-divider);
      border-radius: 6px;
      padding: 0.15rem 0.5rem;
      font-size: 0.9rem;
    }
    ul.profiles li.current {
      border: 2px solid var(--wd-accent);
      background: var(--wd-accent-soft);
      font-weight: 700;
    }
    .feature {
      border-bottom: 1px solid var(--wd-divider);
    }
    .feature summary {
      display: flex;
      flex-wrap: wrap;
      gap: 0.2rem 0.6rem;
      align-items: baseline;
    }
    .feature dl.facts {
      padding: 0.2rem 0 0.6rem 1.2rem;
    }
    .raw {
      font-family: var(--wd-mono);
      font-size: 0.85rem;
      overflow-wrap: anywhere;
      color: var(--wd-muted);
    }
  `,
];
