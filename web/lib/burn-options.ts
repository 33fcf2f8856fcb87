/**
 * The burn options both burn dialogs offer (a disc image, files and
 * folders): verification, close or leave appendable, a write speed from the
 * drive's list, CD track- or session-at-once, test write and the client name,
 * each only where the drive and the medium allow it. The dialog is the host:
 * the fields set its reactive properties, so it renders again.
 */
import { html, nothing } from 'lit';
import type { BurnOptions, MediaState, RecorderInfo, VerifyMode } from '../../contract/api.ts';
import { mediaTypeName } from '../../contract/profiles.ts';
import { clientNameField } from './dialog-parts.ts';
import { offeredSpeeds, oneXWords, speedLabel, type BurnTarget } from './media.ts';

/** "maximum" (no SET CD SPEED: the drive's fastest) or one of the disc's speeds in kB/s. */
export type SpeedChoice = 'max' | number;

/** A chosen speed the disc in the drive does not offer (another disc's) falls back to maximum. */
export function offeredChoice(host: BurnOptionsHost): SpeedChoice {
  return host.speed !== 'max' && offeredSpeeds(host.media, host.info).includes(host.speed)
    ? host.speed
    : 'max';
}

export const VERIFY_WORDS: Readonly<Record<VerifyMode, { label: string; help: string }>> = {
  none: { label: 'None', help: 'Trust the drive.' },
  quick: { label: 'Quick', help: 'Read back a sample of the sectors and compare them.' },
  full: {
    label: 'Full',
    help: 'Read back every sector; the SHA-256 of the disc must equal the image’s.',
  },
};

/** A dialog with the burn options as reactive properties. */
export interface BurnOptionsHost {
  readonly media: MediaState | null;
  readonly info: RecorderInfo | null;
  clientName: string;
  touched: boolean;
  verify: VerifyMode;
  /** Close the disc (no more sessions) rather than leave it appendable. */
  close: boolean;
  speed: SpeedChoice;
  simulate: boolean;
  writeType: 'tao' | 'sao';
}

/** The options as burnImage takes them; choices the medium does not offer are left out. */
export function burnOptionsOf(host: BurnOptionsHost, t: BurnTarget): BurnOptions {
  const speed = offeredChoice(host);
  const simulate = t.testWrite && host.simulate;
  return {
    clientName: host.clientName,
    verify: host.verify,
    ...(t.canClose ? { close: host.close } : {}),
    ...(speed !== 'max' ? { speedKBps: speed } : {}),
    ...(simulate ? { simulate: true } : {}),
    ...(t.cdWriteMode ? { writeType: host.writeType } : {}),
  };
}

/** The option fields, for a `<div class="options">` (styles/dialog.ts and the burn dialog's). */
export function burnOptionFields(host: BurnOptionsHost, t: BurnTarget) {
  const speeds = offeredSpeeds(host.media, host.info);
  const oneX = oneXWords(host.media);
  const name = host.media?.present ? mediaTypeName(host.media.physicalType) : 'disc';
  return html`
    <fieldset>
      <legend>Verify after writing</legend>
      ${(['none', 'quick', 'full'] as const).map(
        (mode) =>
          html`<label class="check">
            <input
              type="radio"
              name="verify"
              value=${mode}
              .checked=${host.verify === mode}
              @change=${() => (host.verify = mode)}
            />
            <span
              >${VERIFY_WORDS[mode].label}
              <span class="help">${VERIFY_WORDS[mode].help}</span></span
            >
          </label>`,
      )}
    </fieldset>
    ${discChoice(host, t, name)}
    <div class="field">
      <label for="speed">Write speed</label>
      <select
        id="speed"
        aria-describedby="speed-help"
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          host.speed = v === 'max' ? 'max' : Number(v);
        }}
      >
        <option value="max" ?selected=${host.speed === 'max'}>Maximum</option>
        ${speeds.map(
          (s) =>
            html`<option value=${String(s)} ?selected=${host.speed === s}>
              ${speedLabel(s, host.media)}
            </option>`,
        )}
      </select>
      <p id="speed-help" class="help">
        ${
          speeds.length
            ? `The speeds the drive reports for this ${name}${oneX ? `; ${oneX}` : ''}.`
            : 'The drive reports no speeds to choose from; it writes at its own.'
        }
      </p>
    </div>
    ${
      t.cdWriteMode
        ? html`<fieldset>
            <legend>CD write mode</legend>
            <label class="check">
              <input
                type="radio"
                name="write-type"
                value="tao"
                .checked=${host.writeType === 'tao'}
                @change=${() => (host.writeType = 'tao')}
              />
              <span
                >Track-at-once (TAO)
                <span class="help">One data track; works with any CD recorder.</span></span
              >
            </label>
            <label class="check">
              <input
                type="radio"
                name="write-type"
                value="sao"
                .checked=${host.writeType === 'sao'}
                @change=${() => (host.writeType = 'sao')}
              />
              <span
                >Session-at-once (SAO)
                <span class="help"
                  >The whole session in one pass, from a cue sheet; no run-out gap.</span
                ></span
              >
            </label>
          </fieldset>`
        : nothing
    }
    <label class=${t.testWrite ? 'check' : 'check disabled'}>
      <input
        type="checkbox"
        ?disabled=${!t.testWrite}
        .checked=${t.testWrite && host.simulate}
        aria-describedby="simulate-help"
        @change=${(e: Event) => (host.simulate = (e.target as HTMLInputElement).checked)}
      />
      <span
        >Test write (simulation)
        <span id="simulate-help" class="help"
          >${
            t.testWrite
              ? 'The drive goes through the motions with the laser off: nothing is written, nothing is verified.'
              : noTestWrite(host, t, name)
          }</span
        ></span
      >
    </label>
    <div class="span">${clientNameField(host)}</div>
  `;
}

function noTestWrite(host: BurnOptionsHost, t: BurnTarget, name: string): string {
  if (!host.info?.capabilities.testWrite) return 'This drive does not offer test write.';
  if (t.family === null) return 'Not available without a writable disc.';
  return `Not available for ${name}: only CD-R/RW and DVD-R/RW have it.`;
}

function discChoice(host: BurnOptionsHost, t: BurnTarget, name: string) {
  if (!t.canClose) {
    return html`<p class="help">
      ${
        t.family === 'random'
          ? `A ${name} stays rewritable: the image is written in place from LBA 0.`
          : 'Closing applies once a writable disc is in the drive.'
      }
    </p>`;
  }
  return html`<fieldset>
    <legend>Afterwards</legend>
    <label class="check">
      <input
        type="radio"
        name="close"
        value="appendable"
        .checked=${!host.close}
        @change=${() => (host.close = false)}
      />
      <span
        >Leave the disc appendable <span class="help">More sessions can be added later.</span></span
      >
    </label>
    <label class="check">
      <input
        type="radio"
        name="close"
        value="close"
        .checked=${host.close}
        @change=${() => (host.close = true)}
      />
      <span
        >Close the disc
        <span class="help">Nothing more can be added; plays in more drives.</span></span
      >
    </label>
  </fieldset>`;
}

/**
 * The confirm step's facts both burn dialogs show after their own first
 * lines (the image, or the files): drive, medium, where, verify, speed, CD
 * write mode, what the disc is afterwards, test write and client name.
 */
export function burnFacts(
  host: { readonly driveName: string; readonly media: MediaState | null },
  o: BurnOptions,
  t: BurnTarget,
  where: string,
  speed: string,
) {
  return html`
    <dt>Drive</dt>
    <dd>${host.driveName || 'unknown'}</dd>
    <dt>Medium</dt>
    <dd>${host.media?.present ? mediaTypeName(host.media.physicalType) : 'unknown'}</dd>
    <dt>Where</dt>
    <dd>${where}</dd>
    <dt>Verify</dt>
    <dd>${o.simulate ? 'none (test write)' : VERIFY_WORDS[o.verify ?? 'none'].label}</dd>
    <dt>Speed</dt>
    <dd>${speed}</dd>
    ${
      o.writeType
        ? html`<dt>CD write mode</dt>
            <dd>${o.writeType === 'sao' ? 'session-at-once (SAO)' : 'track-at-once (TAO)'}</dd>`
        : nothing
    }
    <dt>Afterwards</dt>
    <dd>
      ${
        t.family === 'random'
          ? 'rewritable as before'
          : o.close
            ? 'closed (nothing more can be added)'
            : 'appendable'
      }
    </dd>
    <dt>Test write</dt>
    <dd>${o.simulate ? 'yes: nothing is written' : 'no'}</dd>
    <dt>Client name</dt>
    <dd>${o.clientName}</dd>
  `;
}
