// `npm run fuzz`: the long campaigns, kept out of `npm test`. Each model-based
// test runs WEBDISC_FUZZ_RUNS interleavings (default 10,000) from
// WEBDISC_FUZZ_SEED (default: a fixed seed), and prints one JSON line of
// figures: {"fuzz": NAME, "runs", "seed", "steps"}.
import { spawnSync } from 'node:child_process';

const campaigns = ['engine/exclusive-access.model.test.ts'];
const env = { ...process.env, WEBDISC_FUZZ_RUNS: process.env.WEBDISC_FUZZ_RUNS ?? '10000' };
let failed = 0;
for (const file of campaigns) {
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=0', file],
    { stdio: ['ignore', 'inherit', 'inherit'], env },
  );
  console.log(
    JSON.stringify({ campaign: file, ok: r.status === 0, seconds: (Date.now() - started) / 1000 }),
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
