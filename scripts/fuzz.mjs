// `npm run fuzz`: the long campaigns, kept out of `npm test`. Each campaign
// runs WEBDISC_FUZZ_RUNS cases (default 10,000: interleavings, mutated images) from
// WEBDISC_FUZZ_SEED (default: a fixed seed), and prints one JSON line of
// figures: {"fuzz": NAME, "runs", "seed", "steps"}.
import { spawnSync } from 'node:child_process';

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
];
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
