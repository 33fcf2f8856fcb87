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
  `,
];
