// The one gate (`npm test` after set-up, or `npm run verify`): type-check,
// lint, Node tests, browser tests, e2e, device tests. Every stage runs even after a failure,
// and the last line is the total across runners: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

const npmRun = (script, extra = []) => ['npm', ['run', '--silent', script, '--', ...extra]];

function tapCounts(file) {
  if (!existsSync(file)) return undefined;
  const tap = readFileSync(file, 'utf8');
  const pass = /^# pass (\d+)$/m.exec(tap);
  const fail = /^# fail (\d+)$/m.exec(tap);
  const cancelled = /^# cancelled (\d+)$/m.exec(tap);
  if (!pass || !fail) return undefined;
  return { passed: Number(pass[1]), failed: Number(fail[1]) + Number(cancelled?.[1] ?? 0) };
}

const tap = (name) => [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=test-results/${name}.tap`,
];

const stages = [
  { name: 'typecheck', cmd: npmRun('typecheck') },
  { name: 'lint', cmd: npmRun('lint') },
  {
    name: 'node tests',
    cmd: npmRun('test:node', tap('node')),
    counts: () => tapCounts('test-results/node.tap'),
  },
  {
    name: 'browser tests',
    cmd: npmRun('test:browser'),
    counts: () =>
      existsSync('test-results/browser.json')
        ? JSON.parse(readFileSync('test-results/browser.json', 'utf8'))
        : undefined,
  },
  {
    name: 'e2e tests',
    cmd: npmRun('test:e2e', tap('e2e')),
    counts: () => tapCounts('test-results/e2e.tap'),
  },
  {
    // The CLI against QEMU's USB CD-ROM and the Linux mass-storage gadget in a
    // Linux guest (devices/README.md). `--gate`: where no guest can be made it
    // says why and passes, except under CI=true, where that is a failure.
    name: 'device tests',
    cmd: ['node', ['devices/run.mjs', '--gate', '--tap', 'test-results/devices.tap']],
    counts: () => deviceCounts('test-results/devices.tap'),
  },
];

/** The device run's TAP: `ok N` / `not ok N` lines; `1..0 # SKIP` when no guest could be made. */
function deviceCounts(file) {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  if (/^1\.\.0 # SKIP/m.test(text)) return { passed: 0, failed: 0, skipped: true };
  return {
    passed: (text.match(/^ok \d+/gm) ?? []).length,
    failed: (text.match(/^not ok \d+/gm) ?? []).length,
  };
}

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const summary = [];
for (const stage of stages) {
  if (only.length && !only.some((o) => stage.name.startsWith(o))) continue;
  console.log(`\n==> ${stage.name}`);
  const started = Date.now();
  const r = spawnSync(stage.cmd[0], stage.cmd[1], { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let ok = r.status === 0;
  let note = '';
  let stageFailed = 0;
  if (stage.counts) {
    const c = stage.counts();
    if (!c) {
      ok = false;
      note = ' (no test results: the runner did not finish)';
    } else {
      passed += c.passed;
      stageFailed = c.failed;
      note = ` (${c.passed} passed, ${c.failed} failed)`;
      if (c.skipped) note = ' (skipped: no guest here)';
      else if (c.passed === 0) {
        ok = false;
        note += ' no tests ran';
      }
    }
  }
  // A gate (tsc, lint) or a runner that crashed counts as one failure.
  if (!ok && stageFailed === 0) stageFailed = 1;
  if (stageFailed > 0) ok = false;
  failed += stageFailed;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${stage.name}${note} ${seconds}s`);
  if (!ok) process.exitCode = 1;
}
console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
