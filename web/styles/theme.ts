import { css } from 'lit';

/**
 * Design tokens, light and dark (prefers-color-scheme). Every component
 * adopts them on its :host so it looks right on its own (in tests) and
 * inside the app. Colour pairs meet WCAG AA: text >= 4.5:1, borders and
 * focus rings >= 3:1 against the surface.
 */
export const theme = css`
  :host {
    --wd-bg: #f3f5f9;
    --wd-surface: #ffffff;
    --wd-surface-2: #eef1f6;
    --wd-fg: #1b1d22;
    --wd-muted: #4a5160;
    --wd-border: #7c8596;
    --wd-divider: #d5dae3;
    --wd-accent: #0b57d0;
    --wd-on-accent: #ffffff;
    --wd-accent-soft: #dce7fb;
    --wd-danger: #b3261e;
    --wd-danger-soft: #fcebe9;
    --wd-ok: #1d6b34;
    --wd-warn-fg: #5a4100;
    --wd-warn-bg: #fff3cf;
    --wd-focus: #0b57d0;
    --wd-radius: 10px;
    --wd-mono: ui-monospace, 'Cascadia Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    color-scheme: light dark;
    color: var(--wd-fg);
    font-family:
      system-ui,
      -apple-system,
      'Segoe UI',
      Roboto,
      'Noto Sans',
      sans-serif;
    font-size: 1rem;
    line-height: 1.45;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --wd-bg: #111318;
      --wd-surface: #1b1e25;
      --wd-surface-2: #252932;
      --wd-fg: #e8eaef;
      --wd-muted: #b6bcc8;
      --wd-border: #7f889a;
      --wd-divider: #353a45;
      --wd-accent: #8ab4f8;
      --wd-on-accent: #0a1a36;
      --wd-accent-soft: #22395e;
      --wd-danger: #ffb4ab;
      --wd-danger-soft: #3d1f1c;
      --wd-ok: #8fd6a0;
      --wd-warn-fg: #ffe08a;
      --wd-warn-bg: #3a3114;
      --wd-focus: #8ab4f8;
    }
  }
  [hidden] {
    display: none !important;
  }
`;

/** Panels, headings, buttons, fields, focus rings, definition lists, tables. */
export const controls = css`
  :host {
    display: block;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .panel {
    background: var(--wd-surface);
    border: 1px solid var(--wd-divider);
    border-radius: var(--wd-radius);
    padding: 0.9rem 1rem 1rem;
    min-width: 0;
  }
  h2 {
    font-size: 1.05rem;
    margin: 0 0 0.6rem;
    display: flex;
    align-items: center;
    gap: 0.5rem;
    flex-wrap: wrap;
  }
  h3 {
    font-size: 0.95rem;
    margin: 0.9rem 0 0.4rem;
  }
  p {
    margin: 0.4rem 0;
  }
  .muted {
    color: var(--wd-muted);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  button {
    font: inherit;
    font-weight: 600;
    min-height: 2.5rem;
    padding: 0.35rem 0.9rem;
    border-radius: 8px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface);
    color: var(--wd-fg);
    cursor: pointer;
  }
  button.primary {
    background: var(--wd-accent);
    border-color: var(--wd-accent);
    color: var(--wd-on-accent);
  }
  button.danger {
    color: var(--wd-danger);
    border-color: var(--wd-danger);
  }
  button:hover:not(:disabled) {
    filter: brightness(0.95);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  input[type='text'],
  input[type='search'],
  select {
    font: inherit;
    min-height: 2.5rem;
    padding: 0.3rem 0.6rem;
    border-radius: 8px;
    border: 1px solid var(--wd-border);
    background: var(--wd-surface);
    color: var(--wd-fg);
    min-width: 0;
    max-width: 100%;
  }
  input[type='checkbox'],
  input[type='radio'] {
    width: 1.15rem;
    height: 1.15rem;
    accent-color: var(--wd-accent);
    margin: 0;
  }
  :focus-visible {
    outline: 3px solid var(--wd-focus);
    outline-offset: 2px;
  }
  input:focus-visible,
  select:focus-visible {
    outline-offset: 1px;
  }
  label {
    cursor: pointer;
  }
  code,
  .mono {
    font-family: var(--wd-mono);
    font-size: 0.9em;
  }
  dl.facts {
    display: grid;
    grid-template-columns: minmax(7rem, max-content) minmax(0, 1fr);
    gap: 0.25rem 1rem;
    margin: 0;
  }
  dl.facts dt {
    color: var(--wd-muted);
  }
  dl.facts dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.92rem;
  }
  th,
  td {
    text-align: left;
    padding: 0.3rem 0.5rem;
    border-bottom: 1px solid var(--wd-divider);
    vertical-align: top;
  }
  th {
    color: var(--wd-muted);
    font-weight: 600;
    white-space: nowrap;
  }
  td.num,
  th.num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  .badge {
    display: inline-block;
    font-size: 0.8rem;
    font-weight: 600;
    padding: 0.05rem 0.5rem;
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }
  .badge.accent {
    color: var(--wd-accent);
  }
  .badge.ok {
    color: var(--wd-ok);
  }
  .badge.danger {
    color: var(--wd-danger);
  }
  .notice {
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    background: var(--wd-warn-bg);
    color: var(--wd-warn-fg);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  details > summary {
    cursor: pointer;
    padding: 0.25rem 0;
  }
  @media (prefers-reduced-motion: no-preference) {
    button {
      transition: filter 0.1s;
    }
  }
`;
