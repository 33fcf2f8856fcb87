#!/usr/bin/env node
// `npm run fuzz:teeth`: does `npm run fuzz` have teeth? (issue 20). Each
// defect the campaigns found is put back, one at a time, in a throw-away copy
// of the project (a *mutation run*): one exact search -> replace that undoes
// its fix. Then the campaign that should catch it runs there exactly as
// scripts/fuzz.mjs runs it (same command line, WEBDISC_FUZZ_RUNS=10000, the
// campaign's default seed) under a time limit, and the figures are how long
// it took to fail. A mutation the campaign survives means the campaign lost
// its teeth for that defect: the exit code is then 1.
//
// The search text must be found exactly once, checked for every mutation
// before anything runs: a refactor that moved the fixed code fails this
// script loudly instead of silently turning a mutation into a no-op (and a
// run that "catches" nothing changed).
//
// A control run first runs each campaign on the unmutated copy, with the same
// limit: a failure there would make every "caught" meaningless. A control
// still running at the limit is reported as such (no failure within it).
//
// usage: node scripts/fuzz-teeth.mjs [--only ID,ID] [--limit SECONDS]
//          [--control-limit SECONDS] [--no-control] [--list] [--keep]
// Prints one JSON line per run, then {"teeth": [...], "allCaught": bool}.
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { clearTimeout, setTimeout } from 'node:timers';
import { transformSync } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** What scripts/fuzz.mjs gives a campaign when WEBDISC_FUZZ_RUNS is unset. */
const FUZZ_RUNS = '10000';

/**
 * The defects and how to put each back. `file`: the one source file changed;
 * `edits`: exact search -> replace pairs on it, each undoing part of the fix
 * (the search must occur exactly once); `campaign`: the `npm run fuzz`
 * campaign that exists to catch it.
 */
const MUTATIONS = [
  {
    id: 'release-during-own-burn',
    defect: "a client's release during its own burn takes the drive from under the burn",
    // Issue 14 item 2 (bc7533e): a burn took the drive with the client's own
    // acquire, so the client's releases could give it back mid-burn.
    file: 'engine/recorder/operations.ts',
    edits: [
      ['await access.holdForOperation(clientName);', 'await access.acquire(false, clientName);'],
      [
        'if (!this.#ctx.gone) await access.endOperation().catch(() => undefined);',
        'if (!this.#ctx.gone && access.count > 0) await access.release().catch(() => undefined);',
      ],
    ],
    campaign: 'engine/exclusive-access.model.test.ts',
  },
  {
    id: 'non-owner-reset-drops-prevent',
    defect: "a reset run by a session that does not own the drive drops the owner's PREVENT",
    // Issue 14 item 3 (bc7533e): only the owner asserted PREVENT again after a
    // reset, and the owner never sees another session's reset.
    file: 'engine/recorder/exclusive-access.ts',
    edits: [
      [
        [
          '    const holder = await this.#ctx.otherHolder().catch(() => undefined);',
          '    if (!holder) return;',
          '    await this.#tray.reassertFor(again);',
        ].join('\n'),
        '    return;',
      ],
    ],
    campaign: 'engine/exclusive-access.model.test.ts',
  },
  {
    id: 'short-read-under-good',
    defect: 'a READ that brought less than asked under GOOD status is returned as a success',
    // Issue 13 item 7 (035f799): shortTransfer() makes a short block READ a
    // ShortTransferError (retried, then failed); without it the short data is returned.
    file: 'usb-mass-storage/src/scsi/scsi-drive.ts',
    edits: [
      [
        'const short = shortTransfer(request, result);',
        "const short = request.direction === 'in' ? undefined : shortTransfer(request, result);",
      ],
    ],
    campaign: 'usb-mass-storage/src/bot/device-responses.fuzz.test.ts',
  },
  {
    id: 'usage-error-ignores-json',
    defect: 'a usage error prints text on stderr although --json was given',
    // Issue 19 (7711615): usageFailure() answers one JSON object under --json.
    file: 'cli/cli.ts',
    edits: [
      [
        '  if (json) {\n    const value = errorValueOf(',
        '  if (false) {\n    const value = errorValueOf(',
      ],
    ],
    campaign: 'cli/bad-input.fuzz.test.ts',
  },
  {
    id: 'failed-read-truncates-file',
    defect: 'a failed `read LBA COUNT FILE` truncates FILE (or leaves a new one behind)',
    // Issue 20 part 6: `read` opened FILE with 'w' before reading; the fix
    // writes a temporary file, renamed when every sector is in.
    file: 'cli/cli.ts',
    edits: [
      ["    const out = await open(temp, 'wx');", "    const out = await open(file, 'w');"],
      [
        '      await rename(temp, file);\n    } catch (error) {\n      await rm(temp, { force: true });\n',
        '    } catch (error) {\n',
      ],
    ],
    campaign: 'cli/bad-input.fuzz.test.ts',
  },
  {
    id: 'queued-transfers-unawaited',
    defect:
      'after one queued transfer of a data phase fails, the later ones reject unhandled (a crash)',
    // Issue 20 part 1 (b8a4c14): every queued transfer gets a catch.
    file: 'usb-mass-storage/src/bot/transport.ts',
    edits: [
      [
        '        promise.catch(() => undefined);\n        inflight.push({ promise, size });',
        '        inflight.push({ promise, size });',
      ],
      [
        '        promise.catch(() => undefined);\n        inflight.push(promise);',
        '        inflight.push(promise);',
      ],
    ],
    campaign: 'usb-mass-storage/src/bot/device-responses.fuzz.test.ts',
  },
  {
    id: 'recovered-error-read-without-data',
    defect: 'a READ answered CHECK CONDITION / RECOVERED ERROR with its data missing is a success',
    // Issue 20 part 1 (b8a4c14): the recovered result goes through the short-transfer check.
    file: 'usb-mass-storage/src/scsi/scsi-drive.ts',
    edits: [
      [
        [
          '      const result: CommandResult =',
          "        answer.status !== 'good' && sense && policy === SensePolicy.Recovered",
          "          ? { ...answer, status: 'good', recovered: sense }",
          '          : answer;',
        ].join('\n'),
        [
          "      if (answer.status !== 'good' && sense && policy === SensePolicy.Recovered)",
          "        return { ...answer, status: 'good', recovered: sense };",
          '      const result: CommandResult = answer;',
        ].join('\n'),
      ],
    ],
    campaign: 'usb-mass-storage/src/bot/device-responses.fuzz.test.ts',
  },
  {
    id: 'cut-sense-reads-asc-00',
    defect: 'fixed-format sense cut before ASC/ASCQ decodes as ASC 00h, not TruncatedResponseError',
    // Issue 20 part 2 (b8a4c14): the code before the fix, byte for byte in effect.
    file: 'usb-mass-storage/src/scsi/sense.ts',
    edits: [
      [
        [
          "    if (bytes.length < 8) throw new TruncatedResponseError('fixed sense', 8, bytes.length);",
          '    const key = bytes[2]! & 0x0f;',
          '    const additional = bytes[7]!;',
          '    const ascEnd = Math.min(8 + additional, 14);',
          '    if (bytes.length < ascEnd)',
          "      throw new TruncatedResponseError('fixed sense', ascEnd, bytes.length);",
        ].join('\n'),
        [
          '    if (bytes.length < 3) throw new DecodeError(`fixed sense too short (${bytes.length} bytes)`);',
          '    const key = bytes[2]! & 0x0f;',
          '    const additional = bytes.length > 7 ? bytes[7]! : 0;',
        ].join('\n'),
      ],
    ],
    campaign: 'usb-mass-storage/src/scsi/decoders.fuzz.test.ts',
  },
  {
    id: 'cut-format-capacities-unmarked',
    defect: 'a format-capacity list cut by the allocation length is not marked truncated',
    // Issue 20 part 2 (b8a4c14).
    file: 'usb-mass-storage/src/scsi/format-capacities.ts',
    edits: [
      [
        'return cut ? { current, formattable, truncated: true } : { current, formattable };',
        'return { current, formattable };',
      ],
    ],
    campaign: 'usb-mass-storage/src/scsi/decoders.fuzz.test.ts',
  },
];

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    limit: { type: 'string', default: '600' },
    'control-limit': { type: 'string' },
    'no-control': { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

function seconds(text, name) {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`fuzz-teeth: --${name} needs a number of seconds, not "${text}"`);
    process.exit(2);
  }
  return n;
}
const limitS = seconds(opts.limit, 'limit');
const controlLimitS = seconds(opts['control-limit'] ?? opts.limit, 'control-limit');

function controlWords(r) {
  return r.failed ? 'failed' : r.timedOut ? 'no failure within the limit' : 'passed';
}

/** The campaigns `npm run fuzz` runs: the file names in scripts/fuzz.mjs's list. */
function fuzzCampaigns(root) {
  const text = readFileSync(join(root, 'scripts/fuzz.mjs'), 'utf8');
  const list = /const campaigns = \[([\s\S]*?)\];/.exec(text);
  if (!list) throw new Error('scripts/fuzz.mjs: no `const campaigns = [...]` list to read');
  return [...list[1].matchAll(/^\s*'([^']+)',/gm)].map((m) => m[1]);
}

/** Applies `m`'s edits to `text`; throws unless every search occurs exactly once. */
function mutate(m, text) {
  let out = text;
  for (const [search, replace] of m.edits) {
    const at = out.indexOf(search);
    if (at < 0 || out.indexOf(search, at + 1) >= 0) {
      throw new Error(
        `mutation ${m.id}: the search text occurs ${at < 0 ? 'nowhere' : 'more than once'} in ${m.file}; ` +
          `the fix moved: update the mutation so it still undoes it\n--- search:\n${search}`,
      );
    }
    out = out.slice(0, at) + replace + out.slice(at + search.length);
  }
  if (out === text) throw new Error(`mutation ${m.id}: changes nothing in ${m.file}`);
  return out;
}

/**
 * The working tree as it is (tracked files and new ones not ignored, so a
 * campaign added but not yet committed is there too), copied, with
 * node_modules linked. Copied rather than hard-linked: a mutation or a test
 * writing a file in the copy must never write through to the real tree.
 */
function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'webdisc-teeth-'));
  const ls = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'buffer',
    maxBuffer: 64 << 20,
  });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr.toString()}`);
  for (const path of ls.stdout.toString('utf8').split('\0')) {
    // A tracked file deleted in the working tree is not part of it now.
    if (!path || !existsSync(join(ROOT, path))) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(ROOT, path), join(dir, path));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Why the campaign failed, from the spec reporter's output: the test, the error, the first finding. */
function evidence(log) {
  const lines = readFileSync(log, 'utf8').split('\n');
  const first = (re) =>
    lines
      .find((l) => re.test(l))
      ?.trim()
      .slice(0, 240);
  return [
    first(/✖/),
    // fast-check's "Got AssertionError ..." names the broken invariant; else the first error.
    first(/^\s*Got /) ?? first(/AssertionError|^\s*Error|Property failed/),
    // The campaigns assert `findings` equal to []: the first one found is the "+ '...'" line.
    first(/^\s*\+\s+['"]/),
  ]
    .filter(Boolean)
    .join(' | ');
}

/**
 * Runs `campaign` in `dir` as scripts/fuzz.mjs does, for at most `limit`
 * seconds; the whole process group is killed at the limit (kill-cycles
 * spawns CLI processes of its own).
 */
async function runCampaign(dir, campaign, limit, log) {
  // The CLI's virtual disc never in the user's data folder (the campaigns
  // that spawn the CLI set their own; this is the net, as node-test.mjs has).
  const virtualDir = mkdtempSync(join(tmpdir(), 'webdisc-teeth-virtual-'));
  const env = {
    ...process.env,
    WEBDISC_FUZZ_RUNS: FUZZ_RUNS,
    WEBDISC_VIRTUAL_DIR: virtualDir,
  };
  // The campaign's own default seed, as `npm run fuzz` gives it.
  delete env.WEBDISC_FUZZ_SEED;
  delete env.WEBDISC_FUZZ_PATH;
  const out = createWriteStream(log);
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=0', campaign],
    { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  // Each failing test as the spec reporter prints it ("✖ NAME (12.3ms)"), with
  // when it was printed; the summary after "✖ failing tests:" repeats them.
  const failures = new Map();
  let partial = '';
  let summary = false;
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (/^✖ failing tests:/.test(line)) summary = true;
      const failed = /^\s*✖ (.*) \([\d.]+m?s\)$/.exec(line);
      if (failed && !summary && !failures.has(failed[1]))
        failures.set(failed[1], Number(((Date.now() - started) / 1000).toFixed(1)));
    }
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, limit * 1000);
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const secs = (Date.now() - started) / 1000;
  // What the campaign left running (a CLI it spawned) goes with it.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
  await new Promise((resolve) => out.end(resolve));
  rmSync(virtualDir, { recursive: true, force: true });
  const failed = !timedOut && code !== 0;
  // A campaign that died without naming a failing test (a crash) still failed.
  if (failed && failures.size === 0) failures.set(`the campaign process (exit code ${code})`, secs);
  return { failed, timedOut, code, seconds: Number(secs.toFixed(1)), failures };
}

async function main() {
  const only = opts.only?.split(',').filter(Boolean);
  const unknown = only?.filter((id) => !MUTATIONS.some((m) => m.id === id)) ?? [];
  if (unknown.length) {
    console.error(`fuzz-teeth: no mutation ${unknown.join(', ')} (see --list)`);
    process.exit(2);
  }
  const chosen = MUTATIONS.filter((m) => !only || only.includes(m.id));
  if (opts.list) {
    for (const m of chosen) console.log(`${m.id}\t${m.file}\t${m.campaign}\n\t${m.defect}`);
    return 0;
  }
  // Every mutation is checked against the tree before anything long runs.
  for (const m of chosen) mutate(m, readFileSync(join(ROOT, m.file), 'utf8'));
  const listed = fuzzCampaigns(ROOT);

  const dir = copyProject();
  // Outside the copy, so they outlive it.
  const logs = mkdtempSync(join(tmpdir(), 'webdisc-teeth-logs-'));
  console.error(`fuzz-teeth: copy of the project in ${dir}; campaign logs in ${logs}`);
  const controls = {};
  const teeth = [];
  try {
    const campaigns = [...new Set(chosen.map((m) => m.campaign))].filter((c) => listed.includes(c));
    if (!opts['no-control']) {
      for (const campaign of campaigns) {
        const log = join(logs, `control-${campaign.replaceAll('/', '_')}.log`);
        const r = await runCampaign(dir, campaign, controlLimitS, log);
        controls[campaign] = r;
        console.log(
          JSON.stringify({
            control: campaign,
            result: controlWords(r),
            seconds: r.seconds,
            ...(r.failed ? { failing: [...r.failures.keys()], why: evidence(log), log } : {}),
          }),
        );
      }
    }
    for (const m of chosen) {
      const row = { defect: m.defect, id: m.id, file: m.file, campaign: m.campaign };
      if (!listed.includes(m.campaign)) {
        // Nothing in `npm run fuzz` exists to catch it: said, not run.
        teeth.push({
          ...row,
          caught: false,
          seconds: null,
          reason: 'campaign not in npm run fuzz',
        });
        console.log(JSON.stringify(teeth.at(-1)));
        continue;
      }
      const path = join(dir, m.file);
      const original = readFileSync(path, 'utf8');
      const mutated = mutate(m, original);
      // A mutant that does not even parse would "fail" every campaign: not a catch.
      transformSync(mutated, { loader: 'ts', sourcefile: m.file });
      writeFileSync(path, mutated);
      const log = join(logs, `${m.id}.log`);
      let r;
      try {
        r = await runCampaign(dir, m.campaign, limitS, log);
      } finally {
        writeFileSync(path, original);
      }
      // Caught: a test failed that the unmutated copy passes. When the control
      // itself fails (a defect not fixed yet, another's edit mid-way), only the
      // tests it passes can tell the mutation apart.
      const control = controls[m.campaign];
      const fresh = [...r.failures].filter(([name]) => !control?.failures.has(name));
      const caught = r.failed && fresh.length > 0;
      teeth.push({
        ...row,
        caught,
        seconds: r.seconds,
        ...(caught ? { firstFailureSeconds: Math.min(...fresh.map(([, at]) => at)) } : {}),
        ...(r.timedOut ? { reason: `survived ${limitS} s` } : {}),
        ...(r.failed && !caught ? { reason: 'failed only the tests the control run fails' } : {}),
        ...(caught ? { failing: fresh.slice(0, 5).map(([name]) => name), why: evidence(log) } : {}),
        log,
      });
      console.log(JSON.stringify(teeth.at(-1)));
      // Let the box breathe between campaigns (2 shared cores).
      await sleep(1000);
    }
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
  const allCaught = teeth.every((t) => t.caught);
  console.log(
    JSON.stringify({
      teeth: teeth.map(({ defect, file, campaign, caught, seconds: s }) => ({
        defect,
        file,
        campaign,
        caught,
        seconds: s,
      })),
      controls: opts['no-control']
        ? 'not run (--no-control)'
        : Object.fromEntries(Object.entries(controls).map(([c, r]) => [c, controlWords(r)])),
      allCaught,
    }),
  );
  return allCaught ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`fuzz-teeth: ${error.message}`);
    process.exit(2);
  },
);
