import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    :host {
      display: block;
      min-height: 100vh;
      background: var(--wd-bg);
    }
    .wrap {
      max-width: 1440px;
      margin: 0 auto;
      padding: 0.75rem;
      display: grid;
      gap: 0.75rem;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25rem 0.75rem;
      padding: 0.25rem 0.25rem 0;
    }
    header svg {
      flex: none;
    }
    h1 {
      font-size: 1.5rem;
      margin: 0;
      letter-spacing: 0.01em;
    }
    .tagline {
      margin: 0;
      color: var(--wd-muted);
    }
    .status {
      margin: 0;
      min-height: 1.45em;
      color: var(--wd-muted);
      padding: 0 0.25rem;
    }
    .status.empty {
      min-height: 0;
      margin-top: -0.75rem;
    }
    main {
      display: grid;
      gap: 0.75rem;
      grid-template-columns: minmax(0, 1fr);
      align-items: start;
    }
    /* minmax(0, 1fr): a wide table (a disc's tracks) scrolls in its panel instead of widening the page. */
    .column {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.75rem;
      align-content: start;
      min-width: 0;
    }
    /* The Advanced area: the engineering panels, closed until asked for. */
    .advanced {
      border: 1px solid var(--wd-divider);
      border-radius: var(--wd-radius);
      background: var(--wd-surface);
      min-width: 0;
    }
    .advanced > summary {
      cursor: pointer;
      padding: 0.75rem 1rem;
      display: flex;
      flex-wrap: wrap;
      gap: 0.15rem 0.75rem;
      align-items: baseline;
      border-radius: var(--wd-radius);
    }
    /* flex drops the native marker: draw one, so it reads as something to open. */
    .advanced > summary::-webkit-details-marker {
      display: none;
    }
    .advanced > summary::before {
      content: '▸';
      color: var(--wd-muted);
    }
    .advanced[open] > summary::before {
      content: '▾';
    }
    .advanced > summary:focus-visible {
      outline: 3px solid var(--wd-focus);
      outline-offset: 2px;
    }
    .summary-title {
      font-weight: 700;
      font-size: 1.05rem;
    }
    .advanced-body {
      display: grid;
      gap: 0.75rem;
      grid-template-columns: minmax(0, 1fr);
      align-items: start;
      padding: 0 0.75rem 0.75rem;
    }
    @media (min-width: 900px) {
      .wrap {
        padding: 1rem 1.25rem;
      }
      /* Jobs first (left), the drive chooser beside them. */
      main {
        grid-template-columns: minmax(0, 1fr) minmax(19rem, 26rem);
      }
      .advanced-body {
        grid-template-columns: minmax(19rem, 26rem) minmax(0, 1fr);
      }
      .wide {
        grid-column: 1 / -1;
      }
    }
    .image {
      background: var(--wd-accent-soft);
      border: 1px solid var(--wd-accent);
    }
    .image .row {
      justify-content: space-between;
    }
    .drop-hint {
      position: fixed;
      inset: 0.75rem;
      display: grid;
      place-items: center;
      border: 3px dashed var(--wd-accent);
      border-radius: var(--wd-radius);
      background: color-mix(in srgb, var(--wd-accent-soft) 85%, transparent);
      color: var(--wd-fg);
      font-size: 1.3rem;
      font-weight: 700;
      pointer-events: none;
      z-index: 10;
    }
    footer {
      font-size: 0.88rem;
      color: var(--wd-muted);
      padding: 0 0.25rem 1rem;
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1.25rem;
    }
    footer p {
      margin: 0;
    }
    footer code {
      overflow-wrap: anywhere;
      word-break: break-all;
    }
    [role='alert'] {
      color: var(--wd-danger);
      font-weight: 600;
    }
  `,
];
