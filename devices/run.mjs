// `npm run test:devices`: the webdisc CLI against USB CD-ROM devices we did
// not write, in a Linux guest under QEMU (TCG):
//   qemu-usb-bot  QEMU's usb-bot with a scsi-cd behind it, on a qemu-xhci controller
//   linux-gadget  the kernel's mass-storage gadget (usb_f_mass_storage, cdrom=1,
//                 removable=1) on dummy_hcd, made through configfs in the guest
// One boot per device. devices/setup.sh prepares (and caches) the kernel, the
// initramfs and the test disc; lib/guest.mjs boots QEMU (with its monitor and
// a control line to the guest); guest/driver.mjs runs in the guest and
// reports each step on the second serial port; lib/checks.mjs and
// lib/lock-checks.mjs check the reports; this file prints TAP, one JSON line
// of throughput per device, and `N passed, N failed`.
// usage: node devices/run.mjs [--device qemu-usb-bot|linux-gadget]... [--verbose]
//          [--gate] [--bench | --locks | --kill-cycles N] [--seed N] [--tap FILE] [--timeout-s N]
//   --gate   when the guest cannot be made here (no QEMU or kernel package to
//            be had), print why and exit 0, or 1 when CI=true; else run everything
//   --bench  only the throughput steps; prints the JSON lines (bench/devices.bench.ts)
//   --locks  only the tray-lock, reset and timeout steps (for working on them)
//   --kill-cycles N  only N kill cycles (guest/kill-cycles.mjs; a full run has 4)
//   --seed N the kill points' seed (default 2020), to replay a failed cycle
//   --tap    also write the output to FILE
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDevice, throughput } from './lib/checks.mjs';
import { boot, DEVICES, logs, repo, setup } from './lib/guest.mjs';
import { checkKills } from './lib/kill-checks.mjs';
import { checkLocks } from './lib/lock-checks.mjs';
import { copyTo, counts, line } from './lib/tap.mjs';

const { values } = parseArgs({
  options: {
    device: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
    gate: { type: 'boolean', default: false },
    bench: { type: 'boolean', default: false },
    locks: { type: 'boolean', default: false },
    'kill-cycles': { type: 'string' },
    seed: { type: 'string' },
    tap: { type: 'string' },
    'timeout-s': { type: 'string', default: '900' },
  },
});
const chosen = values.device?.length ? values.device : Object.keys(DEVICES);
for (const d of chosen) {
  if (!DEVICES[d]) {
    console.error(`unknown device ${d}; one of ${Object.keys(DEVICES).join(', ')}`);
    process.exit(2);
  }
}
const mode = values.bench
  ? 'bench'
  : values.locks
    ? 'locks'
    : values['kill-cycles'] !== undefined
      ? 'kill'
      : 'all';
for (const [name, value] of [
  ['--kill-cycles', values['kill-cycles']],
  ['--seed', values.seed],
]) {
  if (value !== undefined && !/^\d+$/.test(value)) {
    console.error(`${name} takes a whole number, not ${JSON.stringify(value)}`);
    process.exit(2);
  }
}
// A kill cycle takes up to about a minute in the guest (a killed save is run again whole).
const timeoutSeconds =
  mode === 'kill'
    ? Math.max(Number(values['timeout-s']), 300 + 75 * Number(values['kill-cycles']))
    : Number(values['timeout-s']);
if (values.tap) copyTo(values.tap);

function bailOut(reason) {
  line(`Bail out! ${reason}`);
  line('0 passed, 1 failed');
  process.exit(1);
}

const started = Date.now();
line('TAP version 13');
// The guest sees the checkout over 9p: a node_modules that is a link out of it is not there.
{
  const modules = join(repo, 'node_modules');
  if (existsSync(modules) && !realpathSync(modules).startsWith(`${realpathSync(repo)}/`)) {
    bailOut(
      `node_modules is a link out of the checkout (${realpathSync(modules)}), which the guest cannot see: run npm ci here`,
    );
  }
}
for (const dep of ['tsx', 'usb']) {
  if (!existsSync(join(repo, 'node_modules', dep, 'package.json'))) {
    bailOut(`node_modules/${dep} is missing: run npm ci first`);
  }
}
// The guest runs bin/webdisc.mjs, which runs the built CLI (dist-cli/) and
// rebuilds it first when a source is newer: build it here, on the host, so
// the emulated guest never runs esbuild nor writes the bundle over 9p.
{
  const built = spawnSync(
    process.execPath,
    [join(repo, 'scripts', 'build-cli.mjs'), '--if-stale'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (built.status !== 0) bailOut('the CLI did not build (node scripts/build-cli.mjs)');
}
const prepared = setup();
if (prepared.unavailable) {
  const reason = `the test guest cannot be made on this machine: ${prepared.unavailable}`;
  if (!values.gate) bailOut(reason);
  if (process.env.CI === 'true') bailOut(`${reason} (CI=true: the device tests must run in CI)`);
  line(`1..0 # SKIP devices: ${reason}`);
  line('# the device tests did not run: not counted as passed or failed');
  line('0 passed, 0 failed');
  process.exit(0);
}
if (prepared.failed) bailOut(prepared.failed);
const env = prepared.env;
const bytes = statSync(env.iso).size;
const host = { bytes, sectors: bytes / 2048, sha256: env.sha256 };
line(`# disc: ${env.iso}, ${host.sectors} sectors, SHA-256 ${host.sha256}`);
line(`# kernel ${env.kernel}; ${env.qemuVersion}`);
line(`# set-up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
mkdirSync(logs, { recursive: true });
const figures = [];
const all = {};
for (const device of chosen) {
  const b = await boot(device, env, host.sectors, {
    mode,
    killCycles: values['kill-cycles'],
    seed: values.seed,
    verbose: values.verbose,
    timeoutSeconds,
  });
  line(`# ${device}: guest ran ${b.seconds.toFixed(1)} s; console in ${b.consoleFile}`);
  all[device] = b;
  checkDevice(device, b, host, mode);
  if (mode === 'all' || mode === 'locks') checkLocks(device, b);
  if (mode === 'all' || mode === 'kill') checkKills(device, b, host);
  if (mode === 'all' || mode === 'bench') figures.push(throughput(device, b, host));
}
line(`1..${counts.tests}`);
line(`# tests ${counts.tests}`);
line(`# pass ${counts.passed}`);
line(`# fail ${counts.failed}`);
line(`# duration_ms ${Date.now() - started}`);
for (const f of figures) line(JSON.stringify(f));
writeFileSync(join(logs, 'report.json'), JSON.stringify({ host, figures, runs: all }, null, 2));
line(`${counts.passed} passed, ${counts.failed} failed`);
process.exitCode = counts.failed ? 1 : 0;
