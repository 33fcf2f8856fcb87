// `npm run fuzz [-- --seconds N] [--json] [--only NAME]`: the long campaigns
// of issue 20, kept out of `npm test` (which runs each briefly from a fixed
// seed). Each campaign is a node:test file that runs WEBDISC_FUZZ_RUNS cases
// from WEBDISC_FUZZ_SEED and prints one JSON line of figures
// ({"fuzz": NAME, "runs", "seed", ...counts}); a violated invariant fails the
// test and names its seed.
//
// Without --seconds every campaign runs once with 10,000 cases (the kill
// cycles cap themselves at 1,000). With --seconds N the N seconds are shared
// out (WEIGHTS below) and each campaign is run again and again, each time
// from the next seed, until its share is spent. The figures are folded into one shape per probe:
// { tried, crashes, hangs, untyped, wrongSuccess, violations, seeds }.
// --json prints that as one JSON object; otherwise progress and a summary.
// The exit code is non-zero when any count but `tried` is above zero.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

const DEVICE_KILLS = 'devices/run.mjs --kill-cycles';
/**
 * Cases of the device kill cycles: without --seconds, and the first run under
 * it (a guest boot and the reference save, verify and read cost about 90 s
 * per device before the first cycle; a cycle about 15 s).
 */
const DEVICE_FIRST = 10;

const campaigns = [
  'engine/exclusive-access.model.test.ts',
  // The disc reader on mutated images (issue 17): typed errors only, bounded reads.
  'engine/reading/disc-files.fuzz.test.ts',
  // The Bulk-Only host and SCSI layer against a misbehaving device (issue 20, part 1):
  // no crash, hang, untyped error or wrong success.
  'usb-mass-storage/src/bot/device-responses.fuzz.test.ts',
  // Every decoder of device data on random, cut and lying bytes (issue 20, part 2).
  'usb-mass-storage/src/scsi/decoders.fuzz.test.ts',
  // webdisc processes SIGKILLed mid-operation (issue 20, part 5): 1,000 cycles.
  'cli/kill-cycles.fuzz.test.ts',
  // The disc reader on crafted images: each structure lying one way (issue 20, part 3).
  'engine/reading/crafted-images.fuzz.test.ts',
  // A burn of files whose files grow, shrink, vanish or turn unreadable (issue 20, part 3).
  'engine/recording/changing-input.fuzz.test.ts',
  // The builder on names no disc name can be (issue 20, part 3).
  'disc-fs/test/names.fuzz.test.ts',
  // Every CLI command on bad input (issue 20, part 6): the whole table both ways, random lines.
  'cli/bad-input.fuzz.test.ts',
  // Kill cycles on the two third-party USB CD-ROMs in a QEMU guest (issue 20, part 5,
  // "where the device tests can run"): not a node:test file, see runDevices.
  DEVICE_KILLS,
];

// Shares of a --seconds budget (default 1): the campaigns whose cases are
// slowest to come by get more, so one long run reaches issue 20's targets
// (10^6 device responses, 1,000 kill cycles) with the rest; the device kill
// cycles pay a guest boot and about 90 s of reference reads per device for
// each run.
const WEIGHTS = {
  'usb-mass-storage/src/bot/device-responses.fuzz.test.ts': 4,
  'cli/kill-cycles.fuzz.test.ts': 3,
  [DEVICE_KILLS]: 4,
};

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    json: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
  },
});
const seconds = values.seconds === undefined ? undefined : Number(values.seconds);
if (seconds !== undefined && !(seconds > 0)) {
  console.error('fuzz: --seconds needs a positive number of seconds');
  process.exit(2);
}
const chosen = campaigns.filter(
  (c) => !values.only?.length || values.only.some((o) => c.includes(o)),
);
const say = (line) => {
  if (!values.json) console.log(line);
};

/** How many cases a run of each campaign starts with under --seconds (then sized to fit). */
const FIRST_CHUNK = 20;
const baseSeed = Number(process.env.WEBDISC_FUZZ_SEED ?? 0x2000);

/**
 * One run of the device kill cycles: `devices/run.mjs --gate --kill-cycles N`
 * on both devices. Its `# kill cycles: {json}` lines become figure lines; a
 * machine where the guest cannot be made (`1..0 # SKIP`) tries nothing, and
 * says so (with CI=true --gate fails instead).
 */
function runDevices(cycles, seed) {
  return new Promise((resolve) => {
    const started = Date.now();
    const args = ['devices/run.mjs', '--gate', '--kill-cycles', String(cycles)];
    if (seed !== undefined) args.push('--seed', String(seed));
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (!values.json && seconds === undefined) process.stdout.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (!values.json) process.stderr.write(d);
    });
    child.on('exit', (code, signal) => {
      const figures = [];
      for (const m of out.matchAll(/^# kill cycles: (\{.*\})$/gm)) {
        const f = JSON.parse(m[1]);
        figures.push({
          fuzz: `device-kill-cycles-${f.device}`,
          cycles: f.cycles,
          violations: f.failedCycles.length,
          killed: f.killed,
        });
      }
      const skipped = /^1\.\.0 # SKIP (.*)$/m.exec(out)?.[1];
      resolve({
        ok: code === 0,
        code,
        signal,
        figures,
        skipped,
        ms: Date.now() - started,
        out,
      });
    });
  });
}

/** One run of a campaign: its exit status, its figure lines and how long it took. */
function runOnce(file, runs, seed) {
  if (file === DEVICE_KILLS) return runDevices(runs, seed);
  return new Promise((resolve) => {
    const started = Date.now();
    const env = {
      ...process.env,
      WEBDISC_FUZZ_RUNS: String(runs),
      ...(seed === undefined ? {} : { WEBDISC_FUZZ_SEED: String(seed) }),
    };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=0', file],
      { stdio: ['ignore', 'pipe', 'pipe'], env },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (!values.json && seconds === undefined) process.stdout.write(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (!values.json) process.stderr.write(d);
    });
    child.on('exit', (code, signal) => {
      const figures = [];
      for (const m of out.matchAll(/\{"fuzz":.*\}/g)) {
        try {
          figures.push(JSON.parse(m[0]));
        } catch {
          // a line cut by a crash: the exit status says what happened
        }
      }
      resolve({ ok: code === 0, code, signal, figures, ms: Date.now() - started, out });
    });
  });
}

const n = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** A campaign's own counters, in the one shape every probe reports. */
function fold(into, fig) {
  into.tried += n(fig.tried) || n(fig.runs) || n(fig.cycles);
  into.crashes += n(fig.crashes);
  into.hangs += n(fig.hangs) + n(fig.slow);
  into.untyped += n(fig.untyped);
  into.wrongSuccess += n(fig.wrongSuccess) + n(fig.wrongSuccesses);
  into.violations += n(fig.violations) + n(fig.insane) + n(fig.unmarked) + n(fig.notRecovered);
}

const report = {};
const startedAll = Date.now();
for (const [i, file] of chosen.entries()) {
  const probe = {
    campaign: file,
    tried: 0,
    crashes: 0,
    hangs: 0,
    untyped: 0,
    wrongSuccess: 0,
    violations: 0,
    runs: 0,
    seconds: 0,
    seeds: [],
    failedSeeds: [],
    // What each of the campaign's own probes tried (kill-cycles and kill-cycles-dir; one per device).
    parts: {},
  };
  const weight = (f) => WEIGHTS[f] ?? 1;
  const share =
    seconds === undefined
      ? undefined
      : (seconds * 1000 * weight(file)) / chosen.reduce((sum, f) => sum + weight(f), 0);
  const started = Date.now();
  const devices = file === DEVICE_KILLS;
  let chunk = devices ? DEVICE_FIRST : seconds === undefined ? 10_000 : FIRST_CHUNK;
  for (let round = 0; ; round++) {
    const seed = seconds === undefined ? undefined : baseSeed + i * 1_000_003 + round;
    say(`fuzz: ${file}: ${chunk} cases${seed === undefined ? '' : `, seed ${seed}`}`);
    const r = await runOnce(file, chunk, seed);
    probe.runs++;
    probe.seeds.push(seed ?? 'default');
    for (const fig of r.figures) {
      // A campaign may report several probes (kill-cycles and kill-cycles-dir): fold each.
      fold(probe, fig);
      const part = n(fig.tried) || n(fig.runs) || n(fig.cycles);
      probe.parts[fig.fuzz] = (probe.parts[fig.fuzz] ?? 0) + part;
    }
    if (r.skipped) {
      probe.skipped = r.skipped;
      say(`fuzz: ${file}: skipped: ${r.skipped}`);
      break;
    }
    if (!r.ok) {
      // A failed test is a violated invariant (or a crash of the campaign): its seed replays it.
      probe.violations++;
      probe.failedSeeds.push(seed ?? 'default');
      if (r.signal) probe.crashes++;
      if (values.json) process.stderr.write(r.out.slice(-4000));
      break;
    }
    const elapsed = Date.now() - started;
    if (share === undefined || elapsed >= share) break;
    // Size the next run to the time left (the per-case cost of this one), within bounds.
    const perCase = r.ms / Math.max(1, chunk);
    chunk = devices
      ? Math.floor((share - elapsed) / perCase)
      : Math.max(50, Math.min(100_000, Math.floor((share - elapsed) / perCase)));
    if ((share - elapsed) / 1000 < 3 || chunk < 1) break; // not worth a process start
  }
  probe.seconds = (Date.now() - started) / 1000;
  report[file] = probe;
  say(
    `fuzz: ${file}: ${probe.tried} tried; crashes ${probe.crashes}, hangs ${probe.hangs}, ` +
      `untyped ${probe.untyped}, wrong successes ${probe.wrongSuccess}, violations ${probe.violations} ` +
      `(${probe.seconds.toFixed(0)} s)`,
  );
}

const bad = Object.values(report).filter(
  (p) => p.crashes || p.hangs || p.untyped || p.wrongSuccess || p.violations,
);
const summary = {
  seconds: (Date.now() - startedAll) / 1000,
  budgetSeconds: seconds ?? null,
  ok: bad.length === 0,
  probes: report,
};
if (values.json) {
  console.log(JSON.stringify(summary));
} else {
  console.log('\nprobe                                                   tried  problems');
  for (const p of Object.values(report)) {
    const problems = p.crashes + p.hangs + p.untyped + p.wrongSuccess + p.violations;
    console.log(`${p.campaign.padEnd(55)} ${String(p.tried).padStart(7)}  ${problems}`);
  }
  console.log(
    bad.length
      ? `\n${bad.length} probe(s) found problems; replay with WEBDISC_FUZZ_SEED=<seed> (failed seeds above)`
      : '\nno crash, hang, untyped error, wrong success or violation',
  );
}
process.exit(bad.length ? 1 : 0);
