/**
 * Every command of the help table on bad input (issue 20, part 6): missing,
 * extra and unknown arguments, malformed and huge numbers, missing files,
 * folders where a file is expected, empty and 1-byte files, a FIFO, and
 * output paths under a missing folder or under a file. Each run of the real
 * binary, as text and with `--json`, must end within RUN_TIMEOUT_MS with the
 * documented exit code (2 for a usage error, 1 for a failure; README, "The
 * CLI"), say so in one line (a usage error: its line and `see "webdisc help
 * COMMAND"`) or one JSON object, print no stack trace and no Node warning,
 * and leave no new file behind when it fails.
 *
 * The table's cases are generated from each command's spec (bad-input-table.ts)
 * and named; the defects this campaign found are named cases in it too
 * (`regression`). `npm test` runs every case once (text or --json, in turn) and
 * every regression case both ways; `npm run fuzz` (WEBDISC_FUZZ_RUNS) runs
 * every case both ways and random combinations of commands and bad words from
 * WEBDISC_FUZZ_SEED, and prints one JSON line of figures.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { COMMANDS } from './help.ts';
import { checkRun, runCli } from './bad-input-check.ts';
import { ROOT, badInputCases, randomCase, type Case, type Fixtures } from './bad-input-table.ts';

const FUZZ = process.env.WEBDISC_FUZZ_RUNS !== undefined;
/** Random combinations under `npm run fuzz`: each is a process, so at most 1,000. */
const RANDOM_RUNS = FUZZ ? Math.min(1000, Number(process.env.WEBDISC_FUZZ_RUNS)) : 0;
const SEED = process.env.WEBDISC_FUZZ_SEED ? Number(process.env.WEBDISC_FUZZ_SEED) : 0x20_06;
/** Processes at once: the machine has 2 cores, and each run mostly waits on Node's start-up. */
const CONCURRENCY = 3;

let root = '';
let fx: Fixtures;
/** Counted as scripts/fuzz.mjs folds every campaign's figures: each run at most once per kind. */
const figures = {
  runs: 0,
  tried: 0,
  hangs: 0,
  crashes: 0,
  untyped: 0,
  wrongSuccess: 0,
  violations: 0,
};

/** The kind of each problem checkRun names, by its first words. */
function count(problems: readonly string[]): void {
  const kinds = new Set(
    problems.map((p) =>
      p.startsWith('no end within')
        ? 'hangs'
        : p.startsWith('stack trace')
          ? 'crashes'
          : /^(raw |unclear )/.test(p)
            ? 'untyped'
            : p.startsWith('exit 0,')
              ? 'wrongSuccess'
              : 'violations',
    ),
  );
  for (const k of kinds) figures[k as keyof typeof figures]++;
}

async function setUp(): Promise<Fixtures> {
  root = await mkdtemp(join(tmpdir(), 'webdisc-bad-input-'));
  const inputs = join(root, 'in');
  await mkdir(join(inputs, 'dir', 'sub'), { recursive: true });
  await writeFile(join(inputs, 'dir', 'a.txt'), 'hello\n');
  await writeFile(join(inputs, 'dir', 'sub', 'b.txt'), 'deep\n');
  await writeFile(join(inputs, 'empty'), '');
  await writeFile(join(inputs, 'one'), 'x');
  await writeFile(join(inputs, 'three.iso'), 'abc');
  await writeFile(join(inputs, 'plain.txt'), 'a regular file, used as a folder\n');
  // The FIFO is real: a command that opens it for reading or writing would block for ever.
  execFileSync('mkfifo', [join(inputs, 'fifo')]);
  const f: Fixtures = {
    root,
    inputs,
    good: join(inputs, 'good.iso'),
    dataDrive: join(root, 'drive-data'),
    runtime: join(root, 'runtime'),
  };
  await mkdir(f.runtime);
  // The disc with data every reading command works on: the folder's image, inserted.
  const env = { WEBDISC_VIRTUAL_DIR: f.dataDrive };
  const made = await runCli(f, ['mkiso', join(inputs, 'dir'), '-o', f.good, '--date', '0'], {
    cwd: root,
    env,
  });
  assert.equal(made.code, 0, made.stderr);
  const inserted = await runCli(f, ['insert', '--image', f.good], { cwd: root, env });
  assert.equal(inserted.code, 0, inserted.stderr);
  return f;
}

/** Runs one case in its own folder and virtual drive; returns what went wrong. */
async function runCase(c: Case, n: number): Promise<string[]> {
  const cwd = join(root, 'work', String(n));
  const drive = join(root, 'drives', String(n));
  await mkdir(join(cwd, 'folder'), { recursive: true });
  await writeFile(join(cwd, 'plain.txt'), 'a regular file\n');
  if (!ROOT) await mkdir(join(cwd, 'locked'), { mode: 0o500 });
  await mkdir(join(root, 'drives'), { recursive: true });
  if (c.disc === 'data') await cp(fx.dataDrive, drive, { recursive: true });
  else await mkdir(drive);
  const problems = await checkRun(fx, c, { cwd, env: { WEBDISC_VIRTUAL_DIR: drive } });
  figures.runs++;
  figures.tried++;
  count(problems);
  await rm(cwd, { recursive: true, force: true });
  await rm(drive, { recursive: true, force: true });
  return problems;
}

let counter = 0;

describe('every CLI command on bad input', { concurrency: CONCURRENCY }, () => {
  before(async () => {
    fx = await setUp();
  });
  after(async () => {
    console.log(JSON.stringify({ fuzz: 'cli-bad-input', seed: SEED, ...figures }));
    await rm(root, { recursive: true, force: true });
  });

  // Generated from names alone, so the cases can be listed before the fixtures exist.
  const cases = badInputCases();

  it('covers every command of the help table', () => {
    const covered = new Set(cases.map((c) => c.command));
    const missing = Object.keys(COMMANDS).filter((name) => !covered.has(name));
    assert.deepEqual(missing, [], `commands without bad-input cases: ${missing.join(', ')}`);
    assert.ok(
      cases.some((c) => c.regression),
      'the defects found are named cases',
    );
  });

  cases.forEach((c, i) => {
    // npm test: each case once, text and --json in turn; regressions and fuzz runs: both.
    const modes = FUZZ || c.regression ? [false, true] : [i % 2 === 1];
    for (const json of modes) {
      const name = `${c.regression ? `regression: ${c.regression}: ` : ''}${json ? '--json ' : ''}${c.name}`;
      it(name, async () => {
        const problems = await runCase({ ...c, json }, counter++);
        assert.deepEqual(problems, []);
      });
    }
  });

  if (RANDOM_RUNS > 0) {
    it(`${RANDOM_RUNS} random combinations of commands and bad words`, async () => {
      const failures: string[] = [];
      let next = 0;
      const worker = async () => {
        while (next < RANDOM_RUNS) {
          const k = next++;
          const c = randomCase(SEED + k);
          const problems = await runCase(c, counter++);
          if (problems.length) failures.push(`seed ${SEED + k}: ${c.name}: ${problems.join('; ')}`);
        }
      };
      // One at a time: a random case may write among the shared inputs, which the
      // cases running beside it would see as theirs (a long run found that).
      await worker();
      assert.deepEqual(failures, []);
    });
  }
});
