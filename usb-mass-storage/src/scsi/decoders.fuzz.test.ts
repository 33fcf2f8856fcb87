/**
 * Every decoder of device data (issue 20, part 2) on hostile input: random
 * bytes, and real responses (testing/responses.ts) cut at every length, with
 * bytes overwritten and with length fields that lie (set to 0, 1, the real
 * length and either side of it, all ones, or anything). Each call must, in
 * bounded time, either return a sane value (every number finite, negative
 * only where an address can be, no list longer than the bytes it came from)
 * or throw DecodeError, TruncatedResponseError carrying a consistent
 * `needed` and `got` when the response was cut short.
 *
 * `npm test` runs WEBDISC_FUZZ_RUNS (default 400) cases from a fixed seed;
 * `npm run fuzz` runs 10,000 and prints one JSON line of figures. A failure
 * prints its seed and path for replay (WEBDISC_FUZZ_SEED, WEBDISC_FUZZ_PATH).
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { decodeCsw, encodeCsw } from '../bot/wrappers.ts';
import { DecodeError } from '../errors.ts';
import { RESPONSES } from '../testing/responses.ts';
import { TruncatedResponseError } from './bytes.ts';
import { parseConfiguration, parseConfigurationHeader } from './features.ts';
import { parseFormatCapacities } from './format-capacities.ts';
import {
  parseAtip,
  parseBufferCapacity,
  parseDiscInformation,
  parseEventStatus,
  parseFullToc,
  parseMechanismStatus,
  parseSessionInfo,
  parseToc,
  parseTrackInformation,
} from './mmc.ts';
import {
  findModePage,
  parseCapabilities,
  parseModeParameterList,
  parseWriteParameters,
} from './mode-pages.ts';
import { parsePerformance, parsePerformanceHeader, parseWriteSpeeds } from './performance.ts';
import { parseCapacity } from './sbc.ts';
import { decodeSense, type Sense } from './sense.ts';
import { parseInquiry } from './spc.ts';

const RUNS = Number(process.env.WEBDISC_FUZZ_RUNS ?? 400);
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x20;
/** Far more than any of these small inputs needs: a decoder past it is looping or copying wildly. */
const SLOW_MS = 250;

/** A mode parameter list and then the page a caller looks for in it, as engine/ reads them. */
function modePage(code: number, parse: (page: Uint8Array) => unknown) {
  return (data: Uint8Array) => {
    const list = parseModeParameterList(data);
    const page = findModePage(list, code);
    return { list, page: page && parse(page) };
  };
}

interface Decoder {
  readonly name: string;
  readonly decode: (data: Uint8Array) => unknown;
  readonly samples: readonly Uint8Array[];
  /**
   * Whether a value says it is partial (data cut short of what the response
   * declares); by default its `truncated` flag.
   */
  readonly marksPartial?: (value: never) => boolean;
  /** The part of a value a cut response must keep whole or mark; by default all of it. */
  readonly essence?: (value: never) => unknown;
}

/** GET PERFORMANCE as engine/ reads it: the header says how many descriptors the drive has. */
function performanceData<T>(parse: (data: Uint8Array) => T[]) {
  return (data: Uint8Array) => ({
    header: parsePerformanceHeader(data),
    descriptors: parse(data),
  });
}
const performancePartial = (v: { header: { available: number }; descriptors: unknown[] }) =>
  Math.floor(v.header.available / 16) > v.descriptors.length;

const DECODERS: readonly Decoder[] = [
  { name: 'inquiry', decode: parseInquiry, samples: [RESPONSES.inquiry] },
  {
    name: 'sense',
    decode: decodeSense,
    samples: [RESPONSES.sense, RESPONSES.senseDescriptor],
    // What the host acts on is the triple (the sense table); sense cut after it
    // leaves information and progress undefined, the Sense shape's "not reported".
    essence: (v: Sense) => [v.key, v.asc, v.ascq],
  },
  {
    name: 'configuration',
    decode: parseConfiguration,
    samples: [RESPONSES.configurationCd, RESPONSES.configurationBdCut],
  },
  {
    name: 'configuration header',
    decode: parseConfigurationHeader,
    samples: [RESPONSES.configurationCd],
  },
  {
    name: 'mode page 2Ah',
    decode: modePage(0x2a, parseCapabilities),
    samples: [RESPONSES.modeCapabilities],
  },
  {
    name: 'mode page 05h',
    decode: modePage(0x05, parseWriteParameters),
    samples: [RESPONSES.modeWriteParameters],
  },
  // The page decoders on their own, as MODE SELECT's read-modify-write hands them a page.
  {
    name: 'capabilities page',
    decode: parseCapabilities,
    samples: [RESPONSES.modeCapabilities.subarray(8)],
  },
  {
    name: 'write parameters page',
    decode: parseWriteParameters,
    samples: [RESPONSES.modeWriteParameters.subarray(8)],
  },
  { name: 'TOC', decode: (d) => parseToc(d), samples: [RESPONSES.toc] },
  { name: 'TOC (MSF)', decode: (d) => parseToc(d, { msf: true }), samples: [RESPONSES.tocMsf] },
  { name: 'session info', decode: (d) => parseSessionInfo(d), samples: [RESPONSES.sessionInfo] },
  {
    name: 'session info (MSF)',
    decode: (d) => parseSessionInfo(d, { msf: true }),
    samples: [RESPONSES.sessionInfo],
  },
  { name: 'full TOC', decode: parseFullToc, samples: [RESPONSES.fullToc] },
  { name: 'ATIP', decode: parseAtip, samples: [RESPONSES.atip] },
  {
    name: 'disc information',
    decode: parseDiscInformation,
    samples: [RESPONSES.discInformation, RESPONSES.discInformationBd],
  },
  {
    name: 'track information',
    decode: parseTrackInformation,
    samples: [RESPONSES.trackInformation],
  },
  {
    name: 'format capacities',
    decode: parseFormatCapacities,
    samples: [RESPONSES.formatCapacities, RESPONSES.formatCapacitiesBd],
  },
  { name: 'event status', decode: parseEventStatus, samples: [RESPONSES.eventStatus] },
  { name: 'performance header', decode: parsePerformanceHeader, samples: [RESPONSES.performance] },
  {
    name: 'performance',
    decode: performanceData(parsePerformance),
    samples: [RESPONSES.performance],
    marksPartial: performancePartial,
  },
  {
    name: 'write speeds',
    decode: performanceData(parseWriteSpeeds),
    samples: [RESPONSES.writeSpeeds],
    marksPartial: performancePartial,
  },
  { name: 'buffer capacity', decode: parseBufferCapacity, samples: [RESPONSES.bufferCapacity] },
  { name: 'mechanism status', decode: parseMechanismStatus, samples: [RESPONSES.mechanismStatus] },
  { name: 'capacity', decode: parseCapacity, samples: [RESPONSES.capacity] },
  { name: 'CSW', decode: decodeCsw, samples: [encodeCsw({ tag: 7, residue: 0, status: 0 })] },
];

/**
 * Fields that hold an address which may lie before LBA 0: a CD's lead-in and
 * pre-gap in MSF form (MMC-6 §6.26.3: minutes 90..99 are the lead-in).
 */
const MAY_BE_NEGATIVE = new Set(['address', 'lastSessionStart']);

/** What is wrong with a decoded value, or undefined when it is sane. */
function insanity(value: unknown, input: Uint8Array, key = '', depth = 0): string | undefined {
  if (depth > 8) return `${key}: nested deeper than any response`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `${key} = ${value}`;
    if (value < 0 && !MAY_BE_NEGATIVE.has(key)) return `${key} = ${value} is negative`;
    // No field of these responses is wider than 32 bits (a 4-byte length plus its header at most).
    if (Math.abs(value) > 2 ** 32 + 8) return `${key} = ${value} is wider than any field`;
    return undefined;
  }
  if (value instanceof Uint8Array) {
    return value.length > input.length
      ? `${key}: ${value.length} bytes from ${input.length}`
      : undefined;
  }
  if (Array.isArray(value)) {
    if (value.length > input.length)
      return `${key}: ${value.length} items from ${input.length} bytes`;
    for (const item of value) {
      const bad = insanity(item, input, key, depth + 1);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const bad = insanity(v, input, k, depth + 1);
      if (bad) return bad;
    }
  }
  return undefined;
}

const Outcome = {
  Value: 'value',
  Typed: 'typed',
  Truncated: 'truncated',
  Untyped: 'untyped',
  Insane: 'insane',
  Slow: 'slow',
  /** A cut response decoded to less than the whole one, without saying so. */
  Unmarked: 'unmarked',
} as const;
type Outcome = (typeof Outcome)[keyof typeof Outcome];

interface Stats {
  maxMs: number;
  /** The first few findings, to print: decoder, input and what was wrong. */
  readonly findings: string[];
}

/**
 * Runs one decoder on one input and says how it ended; findings are kept in
 * `stats`. With `whole` (the decoded response `input` was cut from), a value
 * that differs from it must be marked partial.
 */
function exercise(
  decoder: Decoder,
  input: Uint8Array,
  stats: Stats,
  whole?: { value: unknown },
): Outcome {
  const found = (outcome: Outcome, what: string): Outcome => {
    if (stats.findings.length < 10)
      stats.findings.push(`${decoder.name} ${outcome}: ${what} on ${hex(input)}`);
    return outcome;
  };
  const started = performance.now();
  let outcome: Outcome;
  try {
    const value = decoder.decode(input);
    const bad = insanity(value, input);
    const marked = decoder.marksPartial ?? ((v: { truncated?: boolean }) => v.truncated === true);
    const essence = (v: unknown) => (decoder.essence ? decoder.essence(v as never) : v);
    if (bad) outcome = found(Outcome.Insane, bad);
    else if (
      whole &&
      !isDeepStrictEqual(essence(value), essence(whole.value)) &&
      !marked(value as never)
    )
      outcome = found(Outcome.Unmarked, JSON.stringify(value));
    else outcome = Outcome.Value;
  } catch (error) {
    if (error instanceof TruncatedResponseError) {
      const consistent =
        error.needed > error.got &&
        error.got === input.length &&
        Number.isSafeInteger(error.needed);
      outcome = consistent
        ? Outcome.Truncated
        : found(Outcome.Insane, `needed ${error.needed}, got ${error.got}`);
    } else if (error instanceof DecodeError) {
      outcome = Outcome.Typed;
    } else {
      outcome = found(Outcome.Untyped, String(error));
    }
  }
  let ms = performance.now() - started;
  if (ms > SLOW_MS) {
    // Wall-clock time on a shared, niced machine includes time the process did
    // not run (a long `npm run fuzz` found a 264 ms capabilities page that takes
    // 0.1 ms): decode the same input again and keep the faster. A decoder that
    // really loops is slow both times.
    const again = performance.now();
    try {
      decoder.decode(input);
    } catch {
      // the outcome was decided above; only the time is measured here
    }
    ms = Math.min(ms, performance.now() - again);
  }
  stats.maxMs = Math.max(stats.maxMs, ms);
  if (ms > SLOW_MS) return found(Outcome.Slow, `${ms.toFixed(1)} ms`);
  return outcome;
}

function emptyCounts(): Record<Outcome, number> {
  return { value: 0, typed: 0, truncated: 0, untyped: 0, insane: 0, slow: 0, unmarked: 0 };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Values a lying length field takes: the edges around the real length, and the extremes. */
function lieValues(real: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.constantFrom(0, 1, 2, 3, 4, 7, 8, 0xff, 0xffff, 0xffffffff),
    fc
      .constantFrom(real - 1, real, real + 1, real - 8, real + 8, real * 2)
      .map((n) => Math.max(0, n)),
    fc.integer({ min: 0, max: 0xffffffff }),
  );
}

function putField(out: Uint8Array, at: number, width: 1 | 2 | 4, value: number): void {
  for (let i = 0; i < width && at + i < out.length; i++) {
    out[at + i] = Math.floor(value / 2 ** (8 * (width - 1 - i))) & 0xff;
  }
}

/** One hostile input for one decoder. */
const inputArb: fc.Arbitrary<{ decoder: number; input: Uint8Array }> = fc
  .integer({ min: 0, max: DECODERS.length - 1 })
  .chain((d) => {
    const decoder = DECODERS[d]!;
    const sample = fc.constantFrom(...decoder.samples);
    const random = fc.uint8Array({ maxLength: 300 });
    const lied = sample.chain((s) =>
      fc
        .record({
          edits: fc.array(
            fc.record({
              // Mostly the header's length fields (offsets 0..7), sometimes anywhere.
              at: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: s.length })),
              width: fc.constantFrom(1 as const, 2 as const, 4 as const),
              value: lieValues(s.length),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          cut: fc.option(fc.integer({ min: 0, max: s.length + 8 }), { nil: undefined }),
          pad: fc.uint8Array({ maxLength: 64 }),
        })
        .map(({ edits, cut, pad }) => {
          const out = new Uint8Array(s.length + pad.length);
          out.set(s);
          out.set(pad, s.length);
          for (const e of edits) putField(out, e.at, e.width, e.value);
          return cut === undefined ? out : out.subarray(0, cut);
        }),
    );
    const mutated = sample.chain((s) =>
      fc
        .array(
          fc.record({
            at: fc.nat({ max: Math.max(0, s.length - 1) }),
            byte: fc.nat({ max: 0xff }),
          }),
          { minLength: 1, maxLength: 8 },
        )
        .map((edits) => {
          const out = s.slice();
          for (const e of edits) out[e.at] = e.byte;
          return out;
        }),
    );
    return fc
      .oneof(random, lied, mutated)
      .map((input) => ({ decoder: d, input: Uint8Array.from(input) }));
  });

describe('decoders of device data on hostile bytes (fuzz)', () => {
  it('every real response, cut at every length, decodes or throws a consistent typed error', () => {
    const stats: Stats = { maxMs: 0, findings: [] };
    const counts = emptyCounts();
    for (const decoder of DECODERS) {
      for (const sample of decoder.samples) {
        // The whole sample decodes (the BD-RE configuration was cut by its allocation length).
        const cutByDrive = sample === RESPONSES.configurationBdCut;
        assert.equal(
          exercise(decoder, sample, stats),
          cutByDrive ? Outcome.Truncated : Outcome.Value,
          decoder.name,
        );
        const whole = cutByDrive ? undefined : { value: decoder.decode(sample) };
        for (let n = 0; n < sample.length; n++)
          counts[exercise(decoder, sample.slice(0, n), stats, whole)]++;
      }
    }
    assert.deepEqual(stats.findings, []);
    assert.equal(counts.untyped + counts.insane + counts.slow + counts.unmarked, 0);
    assert.ok(counts.truncated > 500, `${counts.truncated} truncations reported as such`);
  });

  it(`${RUNS} hostile inputs end in a sane value or a typed error, in bounded time`, () => {
    const counts = emptyCounts();
    const stats: Stats = { maxMs: 0, findings: [] };
    fc.assert(
      fc.property(inputArb, ({ decoder, input }) => {
        counts[exercise(DECODERS[decoder]!, input, stats)]++;
      }),
      {
        numRuns: RUNS,
        seed: SEED,
        ...(process.env.WEBDISC_FUZZ_PATH ? { path: process.env.WEBDISC_FUZZ_PATH } : {}),
      },
    );
    if (process.env.WEBDISC_FUZZ_RUNS)
      console.log(
        JSON.stringify({
          fuzz: 'decoders',
          runs: RUNS,
          seed: SEED,
          ...counts,
          maxMs: Number(stats.maxMs.toFixed(2)),
        }),
      );
    assert.deepEqual(stats.findings, []);
    assert.equal(counts.value + counts.typed + counts.truncated, RUNS);
  });
});
