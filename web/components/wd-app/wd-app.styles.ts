import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    font-family: system-ui, sans-serif;
    color: var(--wd-fg, #1b1b1f);
  }
  code {
    word-break: break-all;
  }
`;
