import { css } from 'lit';
import { controls, theme } from '../../styles/theme.ts';

export const styles = [
  theme,
  controls,
  css`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: end;
      margin-bottom: 0.5rem;
    }
    .filter {
      display: grid;
      gap: 0.2rem;
      flex: 1 1 14rem;
    }
    .filter label {
      font-weight: 600;
    }
    .log {
      max-height: 28rem;
      overflow: auto;
      border: 1px solid var(--wd-divider);
      border-radius: 8px;
    }
    table {
      font-size: 0.85rem;
    }
    thead th {
      position: sticky;
      top: 0;
      background: var(--wd-surface-2);
    }
    td {
      white-space: nowrap;
    }
    td.cdb {
      font-family: var(--wd-mono);
      font-size: 0.8rem;
    }
    td.sense {
      white-space: normal;
      min-width: 14rem;
    }
    tr.check-condition td.status,
    tr.error td.status {
      color: var(--wd-danger);
      font-weight: 700;
    }
    [role='status']:empty {
      margin: 0;
    }
    tr.good td.status {
      color: var(--wd-ok);
    }
  `,
];
