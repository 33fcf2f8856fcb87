import { html, nothing } from 'lit';
import type { LockState, MediaState } from '../../contract/api.ts';
import { CLIENT_NAME_MAX, clientNameProblem } from '../../contract/client-name.ts';
import { formatBytes } from './format.ts';
import { describeMedia } from './media.ts';

/**
 * What the erase and burn dialogs both show: the drive and the medium in it,
 * a notice when another session holds the drive, and the client-name field
 * (the lock panel's too). Lit templates for components that adopt
 * styles/dialog.ts or the same field styles.
 */

/**
 * The drive and its medium: type and status, sessions, and free space in
 * bytes and in sectors, so people can see what they are about to change.
 */
export function driveFacts(driveName: string, media: MediaState | null, testid: string) {
  const m = media;
  return html`<dl class="facts">
    <dt>Drive</dt>
    <dd data-testid="${testid}-drive">${driveName || 'unknown'}</dd>
    <dt>Medium</dt>
    <dd data-testid="${testid}-medium">${m ? describeMedia(m) : 'unknown (not read yet)'}</dd>
    ${
      m?.present
        ? html`<dt>Sessions</dt>
            <dd>${m.sessions}</dd>
            <dt>Free space</dt>
            <dd data-testid="${testid}-free">
              ${formatBytes(m.freeBlocks * m.blockSize)} of
              ${formatBytes(m.capacityBlocks * m.blockSize)}
              <span class="muted"
                >(${m.freeBlocks.toLocaleString('en-US')} of
                ${m.capacityBlocks.toLocaleString('en-US')} sectors)</span
              >
            </dd>`
        : nothing
    }
  </dl>`;
}

/** Another session owns the drive: the worker will refuse with E_IMAPI_RECORDER_LOCKED. */
export function heldElsewhere(lock: LockState | null): boolean {
  return !!lock && lock.busy && !lock.ownedByMe;
}

export function heldElsewhereNotice(lock: LockState | null, what: string) {
  return heldElsewhere(lock)
    ? html`<p class="notice" role="alert" data-testid="held-elsewhere">
        <strong>${lock?.owner || 'Another session'}</strong> holds this drive. ${what} is refused
        until it releases the drive.
      </p>`
    : nothing;
}

/** A component with a client-name field: the name, and whether to show its problem yet. */
export interface ClientNameHost {
  clientName: string;
  /** Set once the person has typed or submitted: only then is the problem shown. */
  touched: boolean;
}

/**
 * The client-name field of the lock panel and the erase and burn dialogs:
 * an erase or a burn takes the exclusive lock with this name (IMAPI2's
 * ClientName), so all three follow one rule and one wording
 * (contract/client-name.ts). Typing sets the host's `clientName` and
 * `touched` (reactive properties, so the host renders again).
 */
export function clientNameField(
  host: ClientNameHost,
  help = 'Holds the drive while this runs; other sessions see it as the owner.',
) {
  const problem = host.touched ? clientNameProblem(host.clientName) : null;
  return html`<div class="field">
    <label for="client-name">Client name</label>
    <input
      id="client-name"
      type="text"
      autocomplete="off"
      spellcheck="false"
      .value=${host.clientName}
      aria-invalid=${problem ? 'true' : 'false'}
      aria-describedby="client-name-help${problem ? ' client-name-error' : ''}"
      @input=${(e: Event) => {
        host.clientName = (e.target as HTMLInputElement).value;
        host.touched = true;
      }}
    />
    <p id="client-name-help" class="help">
      ${help} 1 to ${CLIENT_NAME_MAX} characters: letters A–Z, digits, spaces and
      <code class="chars">. , : ; - _</code>
    </p>
    ${
      problem
        ? html`<p id="client-name-error" class="field-error" data-testid="client-name-error">
            ${problem}
          </p>`
        : nothing
    }
  </div>`;
}

/**
 * The reactive properties every operation dialog (erase, burn) has: whether
 * it is open, the drive it acts on and what it knows of it, and the client
 * name typed into it. Each dialog adds its own options.
 */
export const OPERATION_DIALOG_PROPERTIES = {
  open: { type: Boolean, reflect: true },
  recorderId: { attribute: 'recorder-id' },
  driveName: { attribute: 'drive-name' },
  media: { attribute: false },
  lock: { attribute: false },
  busy: { type: Boolean },
  clientName: { attribute: 'client-name' },
  touched: { state: true },
} as const;
