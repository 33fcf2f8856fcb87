/**
 * The Bulk-Only host and the SCSI layer against a device that misbehaves
 * (issue 20, part 1). A fake device (testing/memory-device.ts, answering the
 * MMC commands with real responses from testing/responses.ts) runs one
 * command of a recorder's mix (identify, media, capabilities, read, write,
 * lock) through the real BulkOnlyTransport and ScsiDrive, while a script
 * rewrites what it puts on the wire: CSWs with a bad signature, a wrong tag,
 * an unknown status or a residue beyond the request, short, long and
 * zero-length packets, data phases cut, padded or replaced, STALLs at every
 * phase, transfers that never complete, a disconnect mid-command, a class
 * reset that stalls or hangs, and random sense data. Time is a fake clock
 * (testing/fake-clock.ts), so deadlines run out at once.
 *
 * Counted per response: crashes (uncaught exceptions, unhandled rejections),
 * hangs (a transport call not settled within twice its own timeout, or the
 * whole call not settled at all), untyped errors (anything not a
 * WebdiscError, and decoders failing on data the host accepted with anything
 * but DecodeError), wrong successes (testing/wire-log.ts) and, after a
 * failure the transport survived, a well-behaved command that then fails
 * (not recovered). Every one must be zero.
 *
 * `npm test` runs WEBDISC_FUZZ_RUNS (default 300) cases from a fixed seed;
 * `npm run fuzz` runs 10,000 and prints one JSON line of figures. A failure
 * prints its seed and path for replay (WEBDISC_FUZZ_SEED, WEBDISC_FUZZ_PATH).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecodeError, WebdiscError } from '../errors.ts';
import type { ScsiRequest } from '../scsi/command.ts';
import { parseConfiguration } from '../scsi/features.ts';
import {
  getConfiguration,
  getEventStatusNotification,
  parseDiscInformation,
  parseEventStatus,
  parseToc,
  readDiscInformation,
  readTocPmaAtip,
} from '../scsi/mmc.ts';
import { findModePage, parseCapabilities, parseModeParameterList } from '../scsi/mode-pages.ts';
import { defaultTimeoutMs } from '../scsi/opcodes.ts';
import { parseCapacity, read10, readCapacity10, write10 } from '../scsi/sbc.ts';
import { ScsiDrive, type CommandRunner } from '../scsi/scsi-drive.ts';
import type { Sense } from '../scsi/sense.ts';
import {
  inquiry,
  modeSense10,
  parseInquiry,
  preventAllowMediumRemoval,
  testUnitReady,
} from '../scsi/spc.ts';
import { FakeClock, macrotask, settleOn } from '../testing/fake-clock.ts';
import { MemoryBotDevice, type ScriptedTransfer } from '../testing/memory-device.ts';
import { RESPONSES } from '../testing/responses.ts';
import { logWire, wrongSuccess } from '../testing/wire-log.ts';
import { useClock } from '../timers.ts';
import { BulkOnlyTransport } from './transport.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 300);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x2001;
const NOT_READY_BUDGET_MS = 60_000;
const BLOCK = 2048;

interface Command {
  readonly name: string;
  readonly request: (n: number) => ScsiRequest;
  readonly parse?: (data: Uint8Array) => unknown;
}

/** A recorder's command mix: identify, media, capabilities, read, write, lock. */
const COMMANDS: readonly Command[] = [
  { name: 'INQUIRY', request: () => inquiry(), parse: parseInquiry },
  { name: 'TEST UNIT READY', request: () => testUnitReady() },
  {
    name: 'GET CONFIGURATION',
    request: () => getConfiguration({ allocationLength: 512 }),
    parse: parseConfiguration,
  },
  {
    name: 'READ DISC INFORMATION',
    request: () => readDiscInformation(),
    parse: parseDiscInformation,
  },
  { name: 'READ TOC', request: () => readTocPmaAtip({ format: 0 }), parse: (d) => parseToc(d) },
  {
    name: 'GET EVENT STATUS',
    request: () => getEventStatusNotification(),
    parse: parseEventStatus,
  },
  {
    name: 'MODE SENSE 2Ah',
    request: () => modeSense10({ pageCode: 0x2a }),
    parse: (d) => {
      const page = findModePage(parseModeParameterList(d), 0x2a);
      return page && parseCapabilities(page);
    },
  },
  { name: 'READ CAPACITY', request: () => readCapacity10(), parse: parseCapacity },
  { name: 'READ(10)', request: (n) => read10({ lba: n * 7, blocks: 1 + (n % 4) }) },
  {
    name: 'WRITE(10)',
    request: (n) => write10({ lba: n * 5, data: new Uint8Array(BLOCK * (1 + (n % 3))).fill(n) }),
  },
  { name: 'PREVENT', request: () => preventAllowMediumRemoval({ prevent: true }) },
];

/** The MMC commands the block target does not know, answered as the virtual recorder does. */
function answer(cdb: Uint8Array): Uint8Array | undefined {
  switch (cdb[0]) {
    case 0x46:
      return RESPONSES.configurationCd;
    case 0x51:
      return RESPONSES.discInformation;
    case 0x43:
      return RESPONSES.toc;
    case 0x4a:
      return RESPONSES.eventStatus;
    case 0x5a:
      return RESPONSES.modeCapabilities;
    default:
      return undefined;
  }
}

// --- what the script does to the wire --------------------------------------

const byte = fc.nat({ max: 0xff });
const u32 = fc.nat({ max: 0xffffffff });

/** A rewrite of the device's own answer in one bulk-in transfer. */
const mapping = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), n: fc.nat({ max: 40 }) }),
  fc.record({
    op: fc.constant('grow' as const),
    extra: fc.uint8Array({ minLength: 1, maxLength: 20 }),
  }),
  fc.record({ op: fc.constant('poke' as const), at: fc.nat({ max: 63 }), value: byte }),
  fc.record({ op: fc.constant('signature' as const), at: fc.nat({ max: 3 }), value: byte }),
  fc.record({ op: fc.constant('tag' as const), delta: fc.integer({ min: -2, max: 2 }) }),
  fc.record({ op: fc.constant('status' as const), value: fc.oneof(fc.nat({ max: 3 }), byte) }),
  fc.record({
    op: fc.constant('residue' as const),
    value: fc.oneof(fc.nat({ max: 16 }), fc.integer({ min: 2040, max: 2056 }), u32),
  }),
  fc.record({ op: fc.constant('babble' as const) }),
);
type Mapping = typeof mapping extends fc.Arbitrary<infer T> ? T : never;

function applyMapping(m: Mapping): ScriptedTransfer {
  if (m.op === 'babble') return { kind: 'map', status: 'babble' };
  return {
    kind: 'map',
    map: (bytes) => {
      const out = bytes.slice();
      const view = new DataView(out.buffer);
      switch (m.op) {
        case 'cut':
          return out.subarray(0, Math.min(m.n, out.length));
        case 'grow': {
          const longer = new Uint8Array(out.length + m.extra.length);
          longer.set(out);
          longer.set(m.extra, out.length);
          return longer;
        }
        case 'poke':
          if (out.length > 0) out[m.at % out.length] = m.value;
          return out;
        case 'signature':
          if (out.length > m.at) out[m.at] = m.value;
          return out;
        case 'tag':
          if (out.length >= 8) view.setUint32(4, (view.getUint32(4, true) + m.delta) >>> 0, true);
          return out;
        case 'status':
          if (out.length >= 13) out[12] = m.value;
          return out;
        case 'residue':
          if (out.length >= 12) view.setUint32(8, m.value, true);
          return out;
      }
    },
  };
}

const NATURAL: ScriptedTransfer = { kind: 'map' };

const inAction: fc.Arbitrary<ScriptedTransfer> = fc.oneof(
  { weight: 10, arbitrary: fc.constant(NATURAL) },
  { weight: 4, arbitrary: mapping.map(applyMapping) },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'stall' }) },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'zero-length' }) },
  // The CSW early: the data phase absent or cut, with any status and residue.
  {
    weight: 2,
    arbitrary: fc
      .record({
        status: fc.oneof(fc.constantFrom(0, 0, 1, 2), byte),
        residue: fc.option(fc.oneof(fc.nat({ max: 16 }), u32), { nil: undefined }),
      })
      .map(({ status, residue }): ScriptedTransfer =>
        residue === undefined ? { kind: 'csw', status } : { kind: 'csw', status, residue },
      ),
  },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'hang' }) },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'gone' }) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 40 })
      .map((data): ScriptedTransfer => ({ kind: 'bytes', data })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 20 })
      .map((data): ScriptedTransfer => ({ kind: 'babble', data })),
  },
);

const outAction: fc.Arbitrary<ScriptedTransfer> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(NATURAL) },
  { weight: 2, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'stall' }) },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'hang' }) },
  { weight: 1, arbitrary: fc.constant<ScriptedTransfer>({ kind: 'gone' }) },
);

/** Sense a drive reports: the conditions the sense table knows, and anything. */
const senseArb: fc.Arbitrary<Sense> = fc.record({
  key: fc.nat({ max: 0x0f }),
  asc: fc.oneof(
    fc.constantFrom(
      0x00,
      0x04,
      0x0c,
      0x11,
      0x20,
      0x21,
      0x24,
      0x28,
      0x29,
      0x30,
      0x3a,
      0x53,
      0x57,
      0x64,
    ),
    byte,
  ),
  ascq: fc.oneof(fc.constantFrom(0, 1, 2, 4, 7, 8), byte),
  progress: fc.option(fc.nat({ max: 0xffff }), { nil: undefined }),
});

const caseArb = fc.record({
  command: fc.nat({ max: COMMANDS.length - 1 }),
  n: fc.nat({ max: 500 }),
  failures: fc.array(senseArb, { maxLength: 2 }),
  scriptIn: fc.array(inAction, { maxLength: 6 }),
  scriptOut: fc.array(outAction, { maxLength: 3 }),
  portReset: fc.boolean(),
  /** Assert PREVENT again after every reset, as the recorder does (BotOptions.afterReset). */
  afterReset: fc.boolean(),
  asyncTransfers: fc.boolean(),
  resetBehaviour: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'stall', 'hang') as fc.Arbitrary<
    'ok' | 'stall' | 'hang'
  >,
  /** A disconnect at a moment of fake time, mid-command (or never). */
  disconnectAtMs: fc.option(fc.nat({ max: 400_000 }), { nil: undefined, freq: 8 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

// --- one case ---------------------------------------------------------------

const Verdict = {
  Ok: 'ok',
  Typed: 'typed',
  Hang: 'hang',
  Untyped: 'untyped',
  WrongSuccess: 'wrongSuccess',
  NotRecovered: 'notRecovered',
} as const;
type Verdict = (typeof Verdict)[keyof typeof Verdict];

interface Figures {
  ok: number;
  typed: number;
  crashes: number;
  hangs: number;
  untyped: number;
  wrongSuccesses: number;
  notRecovered: number;
  /** The typed errors by class, to see what the campaign exercised. */
  readonly errors: Record<string, number>;
  readonly findings: string[];
}

/** Each transport call's own timeout, as the recorder's transport computes it. */
function ownTimeout(request: ScsiRequest): number {
  return request.timeoutMs ?? defaultTimeoutMs(request.cdb, request.data);
}

async function runCase(c: Case, clock: FakeClock, figures: Figures): Promise<Verdict> {
  const device = new MemoryBotDevice({
    blocks: 8192,
    backingBytes: 1 << 20,
    portReset: c.portReset,
    answer,
  });
  device.asyncTransfers = c.asyncTransfers;
  const transport = await BulkOnlyTransport.connect(device, {
    maxTransferSize: 4096,
    queueDepth: 2,
    defaultTimeoutMs: (cdb) => defaultTimeoutMs(cdb),
    ...(c.afterReset
      ? {
          afterReset: async (run: (r: ScsiRequest) => Promise<unknown>) => {
            await run(preventAllowMediumRemoval({ prevent: true }));
          },
        }
      : {}),
  });
  device.onDisconnect = () => transport.markDisconnected();
  const log = logWire(device);
  let slowCall: string | undefined;
  const runner: CommandRunner = {
    async execute(request, options) {
      const started = clock.now();
      try {
        return await transport.execute(request, options);
      } finally {
        const took = clock.now() - started;
        const own = options?.timeoutMs ?? ownTimeout(request);
        if (took > 2 * own)
          slowCall ??= `0x${request.cdb[0]!.toString(16)} took ${took} ms, timeout ${own} ms`;
      }
    },
  };
  const drive = new ScsiDrive(runner);

  const command = COMMANDS[c.command]!;
  const request = command.request(c.n);
  device.pendingFailures.push(...c.failures);
  device.scriptIn.push(...c.scriptIn);
  device.scriptOut.push(...c.scriptOut);
  device.resetBehaviour = c.resetBehaviour;
  if (c.disconnectAtMs !== undefined) clock.setTimeout(() => device.disconnect(), c.disconnectAtMs);

  const limit = NOT_READY_BUDGET_MS + 16 * 2 * ownTimeout(request);
  const run = await settleOn(
    clock,
    drive.run(request, { notReadyBudgetMs: NOT_READY_BUDGET_MS }),
    limit,
  );
  const finding = (verdict: Verdict, what: string): Verdict => {
    if (figures.findings.length < 10) figures.findings.push(`${command.name} ${verdict}: ${what}`);
    return verdict;
  };
  if (!run.settled)
    return finding(Verdict.Hang, `not settled after ${run.elapsedMs} ms of fake time`);
  if (slowCall) return finding(Verdict.Hang, slowCall);
  if (!run.ok) {
    if (!(run.error instanceof WebdiscError)) return finding(Verdict.Untyped, String(run.error));
    figures.errors[run.error.name] = (figures.errors[run.error.name] ?? 0) + 1;
  } else {
    const wrong = wrongSuccess(request, run.value, log);
    if (wrong) return finding(Verdict.WrongSuccess, wrong);
    if (command.parse) {
      try {
        command.parse(run.value.data);
      } catch (error) {
        if (!(error instanceof DecodeError))
          return finding(Verdict.Untyped, `decoder: ${String(error)}`);
      }
    }
  }

  // A transport that survived must serve a well-behaved command next.
  if (transport.usable) {
    device.scriptIn.length = 0;
    device.scriptOut.length = 0;
    device.pendingFailures.length = 0;
    device.resetBehaviour = 'ok';
    const next = await settleOn(clock, drive.run(inquiry()), 2 * ownTimeout(inquiry()));
    if (!next.settled || !next.ok)
      return finding(
        Verdict.NotRecovered,
        next.settled && !next.ok ? String(next.error) : 'the next command hung',
      );
  }
  return run.ok ? Verdict.Ok : Verdict.Typed;
}

describe('the Bulk-Only host against a misbehaving device (fuzz)', () => {
  it(`${RUNS} scripted device responses: no crash, hang, untyped error or wrong success`, async () => {
    const figures: Figures = {
      ok: 0,
      typed: 0,
      crashes: 0,
      hangs: 0,
      untyped: 0,
      wrongSuccesses: 0,
      notRecovered: 0,
      errors: {},
      findings: [],
    };
    const onCrash = (error: unknown) => {
      figures.crashes++;
      if (figures.findings.length < 10) figures.findings.push(`crash: ${String(error)}`);
    };
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    try {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const clock = new FakeClock();
          const restore = useClock(clock);
          try {
            const verdict = await runCase(c, clock, figures);
            const key =
              verdict === Verdict.Hang
                ? 'hangs'
                : verdict === Verdict.WrongSuccess
                  ? 'wrongSuccesses'
                  : verdict;
            figures[key]++;
          } finally {
            restore();
          }
          // Rejections nobody handled surface after the case's promises settle.
          await macrotask();
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          ...(process.env.WEBDISC_FUZZ_PATH ? { path: process.env.WEBDISC_FUZZ_PATH } : {}),
        },
      );
    } finally {
      process.off('unhandledRejection', onCrash);
      process.off('uncaughtException', onCrash);
    }
    const { findings, ...counts } = figures;
    if (process.env.WEBDISC_FUZZ_RUNS)
      console.log(JSON.stringify({ fuzz: 'device-responses', runs: RUNS, seed: SEED, ...counts }));
    assert.deepEqual(findings, []);
    assert.equal(counts.ok + counts.typed, RUNS);
  });
});
