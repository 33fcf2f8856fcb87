import { css } from 'lit';
import { dialog } from '../../styles/dialog.ts';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  dialog,
  css`
    :host {
      display: contents;
    }
    .hidden-input {
      display: none;
    }
    .same {
      color: var(--ok, #1b7f3b);
    }
    .different {
      color: var(--danger, #b3261e);
    }
  `,
];
