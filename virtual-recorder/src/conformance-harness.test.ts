/**
 * The conformance suite's harness (conformance-*.test.ts). Conformance: the
 * HOST library (usb-mass-storage: BulkOnlyTransport, ScsiDrive and its
 * sense-table policy, the scsi/*.ts builders and parsers) against the
 * virtual recorder, command by command, medium by medium, and under every
 * personality (personalities.ts): the slow drive on a fast scaled clock, so
 * its long operations pass and the host polls them; the bare CD-ROM bridge
 * with the media it serves, each command it lacks checked as the host sees
 * it (5/20/00 E_NOTIMPL, page 2Ah 5/24/00).
 *
 * This file holds no tests of its own: it is named *.test.ts so that it is
 * type-checked with the Node tests (tsconfig.node.json), whose realm has
 * node:assert and node:test.
 *
 * The two sides were written apart on purpose: the device builds its
 * responses in responses/ and parses CDBs itself, the host has its own
 * codecs. Every response here goes through the host's parser and is checked
 * against what the device's state says it must be; every refusal comes back
 * as the host's typed error (ScsiCommandError with the sense and the HRESULT
 * name the sense table gives it). Where the two sides disagreed, the spec
 * decided which one was wrong (see the README of this directory).
 */
import assert from 'node:assert/strict';
import {
  BulkOnlyTransport,
  type BotOptions,
  type CommandResult,
} from '../../usb-mass-storage/src/bot/transport.ts';
import { ScsiDrive } from '../../usb-mass-storage/src/scsi/scsi-drive.ts';
import { ScsiCommandError } from '../../usb-mass-storage/src/errors.ts';
import { type HResultName } from '../../contract/hresult.ts';
import {
  parseConfiguration,
  type Configuration,
} from '../../usb-mass-storage/src/scsi/features.ts';
import {
  getConfiguration,
  getEventStatusNotification,
  readBufferCapacity,
  parseDiscInformation,
  parseTrackInformation,
  readDiscInformation,
  readTrackInformation,
  type DiscInformation,
  type TrackInformation,
} from '../../usb-mass-storage/src/scsi/mmc.ts';
import {
  ModePageCode,
  encodeModeParameterList,
  encodeWriteParameters,
  findModePage,
  parseModeParameterList,
  parseWriteParameters,
  type WriteParameters,
} from '../../usb-mass-storage/src/scsi/mode-pages.ts';
import { type Sense } from '../../usb-mass-storage/src/scsi/sense.ts';
import { lookupSense } from '../../usb-mass-storage/src/scsi/sense-table.ts';
import {
  PageControl,
  modeSelect10,
  modeSense10,
  testUnitReady,
} from '../../usb-mass-storage/src/scsi/spc.ts';
import { it } from 'node:test';
import {
  MEDIA,
  MEDIA_NAMES,
  PERSONALITIES,
  PERSONALITY_NAMES,
  createVirtualRecorder,
  type PersonalityName,
  type MediaInfo,
  type MediaName,
  type VirtualRecorder,
  type VirtualRecorderOptions,
} from './index.ts';

export const T = { timeout: 30_000 };
export const SECTOR = 2048;

export interface Host {
  readonly recorder: VirtualRecorder;
  readonly transport: BulkOnlyTransport;
  readonly drive: ScsiDrive;
  /** Unit attentions ScsiDrive refreshed on (and retried after). */
  readonly attentions: Sense[];
}

/** The host library connected to a fresh virtual recorder, power-on attention consumed. */
export async function host(
  options: VirtualRecorderOptions = {},
  bot: BotOptions = {},
): Promise<Host> {
  const recorder = createVirtualRecorder(options);
  const transport = await BulkOnlyTransport.connect(recorder.device, bot);
  const drive = new ScsiDrive(transport);
  const attentions: Sense[] = [];
  drive.onUnitAttention = (sense) => {
    attentions.push(sense);
  };
  // No waiting here: a manual clock has not spun the disc up yet.
  await drive.run(testUnitReady(), { allowCheckCondition: true, notReadyBudgetMs: 0 });
  attentions.length = 0;
  return { recorder, transport, drive, attentions };
}

/** `promise` must reject with ScsiCommandError carrying `triple` and `hresult` (the table's name). */
export async function refused(
  promise: Promise<unknown>,
  triple: readonly [number, number, number],
  hresult: HResultName,
): Promise<ScsiCommandError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ScsiCommandError, `expected ScsiCommandError, got ${String(error)}`);
    assert.deepEqual(
      [error.sense?.key, error.sense?.asc, error.sense?.ascq],
      [...triple],
      error.message,
    );
    assert.equal(error.hresultName, hresult, error.message);
    return error;
  }
  assert.fail(`expected ${triple.join('/')} (${hresult})`);
}

/** Sense of a raw transport result (no ScsiDrive policy in between). */
export function senseOf(r: CommandResult): [number, number, number] | undefined {
  return r.sense ? [r.sense.key, r.sense.asc, r.sense.ascq] : undefined;
}

export async function rejects<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${type.name}`);
}

export function pattern(blocks: number, seed: number): Uint8Array {
  const b = new Uint8Array(blocks * SECTOR);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13 + seed * 7) & 0xff;
  return b;
}

export async function configuration(drive: ScsiDrive, rt = 0, start = 0): Promise<Configuration> {
  const r = await drive.run(
    getConfiguration({ requestType: rt, startingFeature: start, allocationLength: 0xfff0 }),
  );
  return parseConfiguration(r.data);
}

export async function discInfo(drive: ScsiDrive): Promise<DiscInformation> {
  return parseDiscInformation((await drive.run(readDiscInformation())).data);
}

export async function trackInfo(drive: ScsiDrive, track: number): Promise<TrackInformation> {
  return parseTrackInformation((await drive.run(readTrackInformation({ address: track }))).data);
}

export async function page05(drive: ScsiDrive, pageControl: number = PageControl.Current) {
  const r = await drive.run(modeSense10({ pageCode: ModePageCode.WriteParameters, pageControl }));
  const list = parseModeParameterList(r.data);
  const page = findModePage(list, ModePageCode.WriteParameters);
  assert.ok(page, 'page 05h present');
  return parseWriteParameters(page);
}

export async function selectPage05(
  drive: ScsiDrive,
  change: Partial<WriteParameters>,
): Promise<void> {
  const current = await page05(drive);
  const page = encodeWriteParameters({ ...current, ps: false, ...change });
  const list = encodeModeParameterList(
    {
      mediumType: 0,
      deviceSpecific: 0,
      longLba: false,
      blockDescriptors: new Uint8Array(0),
      pages: [page],
    },
    { select: true },
  );
  await drive.run(modeSelect10(list));
}

export const kindOf = (m: MediaInfo) => m.kind;
export const isCd = (m: MediaInfo) => m.family === 'cd';
export const profileOf = (name: MediaName) => MEDIA[name].profile;

export { PERSONALITY_NAMES };

/**
 * The slow drive's durations pass on a scaled clock (100,000 drive ms per
 * wall ms: its 45 s calibration is under a millisecond); a test's own clock
 * wins. Other personalities keep the clock off.
 */
function clockUnder(personality: PersonalityName): VirtualRecorderOptions {
  return personality === 'slow-drive' ? { clock: { mode: 'scaled', factor: 100_000 } } : {};
}

/** `host()` for a drive of `personality`; `options` override it. */
export function hostUnder(
  personality: PersonalityName,
  options: VirtualRecorderOptions = {},
  bot: BotOptions = {},
): Promise<Host> {
  return host({ personality, ...clockUnder(personality), ...options }, bot);
}

/** The media a personality serves: the bare CD-ROM bridge, pressed discs (and none). */
export function mediaUnder(personality: PersonalityName): readonly MediaName[] {
  return personality === 'bare-cdrom-bridge'
    ? MEDIA_NAMES.filter((n) => MEDIA[n].kind === 'rom' || n === 'none')
    : MEDIA_NAMES;
}

/** What a read-side test needs of the drive: a command, or MODE SENSE page 2Ah. */
export const Needs = {
  GetConfiguration: 0x46,
  Gesn: 0x4a,
  ReadDiscInformation: 0x51,
  ReadTrackInformation: 0x52,
  ReadBufferCapacity: 0x5c,
  CapabilitiesPage: 'page 2Ah',
} as const;
export type Need = (typeof Needs)[keyof typeof Needs];

const NEED_REQUESTS = {
  [Needs.GetConfiguration]: () => getConfiguration({ allocationLength: 8 }),
  [Needs.Gesn]: () => getEventStatusNotification(),
  [Needs.ReadDiscInformation]: () => readDiscInformation(),
  [Needs.ReadTrackInformation]: () => readTrackInformation({ address: 1 }),
  [Needs.ReadBufferCapacity]: () => readBufferCapacity(),
  [Needs.CapabilitiesPage]: () => modeSense10({ pageCode: ModePageCode.Capabilities }),
} as const;

/**
 * `it` for a test that needs `needs`: as written where the personality has
 * them; where it lacks one, a test that the host gets each refusal typed
 * (5/20/00 E_NOTIMPL for a command; 5/24/00 for page 2Ah, named by the
 * host's sense table), as on QEMU's scsi-cd (docs/real-drives.md §0).
 */
export function needsUnder(personality: PersonalityName, name: MediaName) {
  const p: VirtualRecorderOptions = PERSONALITIES[personality];
  const lacks = (n: Need) =>
    typeof n === 'number'
      ? (p.unsupportedCommands ?? []).includes(n)
      : (p.unsupportedModePages ?? []).includes(ModePageCode.Capabilities);
  return (needs: readonly Need[], title: string, fn: () => Promise<void>): void => {
    const missing = needs.filter(lacks);
    if (missing.length === 0) {
      it(title, fn);
      return;
    }
    const what = missing.map((n) => (typeof n === 'number' ? `opcode ${n.toString(16)}h` : n));
    it(`${title}: lacking ${what.join(', ')}, the host gets the refusal typed`, async () => {
      const { drive } = await hostUnder(personality, { media: name });
      for (const need of missing) {
        const request = NEED_REQUESTS[need]();
        const triple = typeof need === 'number' ? ([5, 0x20, 0] as const) : ([5, 0x24, 0] as const);
        const advice = lookupSense(
          { key: triple[0], asc: triple[1], ascq: triple[2] },
          request.cdb[0],
        );
        await refused(drive.run(request), triple, advice.hresultName);
      }
    });
  };
}
