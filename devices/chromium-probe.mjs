// `node devices/chromium-probe.mjs`: how far the app's real-drive path gets
// in Debian's Chromium, headless, inside the test guest, against the Linux
// mass-storage gadget: builds the Isolated Web App (`npm run build:iwa`),
// boots the gadget's guest with the host's root file system shared
// read-only (guest/chromium.mjs runs the host's Chromium through chroot),
// serves the app there, installs it through the dev-mode proxy, launches
// it, and has its worker take the gadget through WebUSB (the policy
// WebUsbAllowDevicesForUrls stands in for the chooser). Prints each stage
// as it was reported, and the first one that failed. Not a test: exits 0
// when every stage passed, 1 otherwise.
// usage: node devices/chromium-probe.mjs [--verbose] [--no-build] [--timeout-s N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { boot, logs, repo, setup } from './lib/guest.mjs';

const { values } = parseArgs({
  options: {
    verbose: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'timeout-s': { type: 'string', default: '1800' },
  },
});
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
const prepared = setup();
if (!prepared.env) {
  console.log(`stopped before the guest: ${prepared.unavailable ?? prepared.failed}`);
  process.exit(1);
}
if (!values['no-build']) {
  const build = spawnSync('npm', ['run', '--silent', 'build:iwa'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) {
    console.log(`stopped: npm run build:iwa failed (exit ${build.status})`);
    process.exit(1);
  }
}
mkdirSync(logs, { recursive: true });
const env = prepared.env;
const b = await boot('linux-gadget', env, statSync(env.iso).size / 2048, {
  mode: 'chromium',
  verbose: values.verbose,
  timeoutSeconds: Number(values['timeout-s']),
  extraArgs: [
    '-virtfs',
    'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,id=hostroot',
  ],
});
const order = [
  ['unbind', 'usb-storage unbound from the gadget'],
  ['chromium-root', "the host's root mounted over 9p, /proc /sys /dev and tmpfs in place"],
  ['chromium-version', 'chromium --version runs in the chroot'],
  ['chromium-node', "the host's node runs in the chroot, also with tsx"],
  ['chromium-serve', 'the IWA served (iwa/serve.ts) and the WebUSB policy written'],
  ['chromium-launch', 'Chromium started headless (playwright-core)'],
  ['chromium-install', 'the app installed through the dev-mode proxy (CDP PWA.install)'],
  ['chromium-app', 'the app launched (CDP PWA.launch) and rendered'],
  ['chromium-page-usb', "navigator.usb.getDevices() in the app's page lists the gadget"],
  [
    'chromium-worker-usb',
    "navigator.usb.getDevices() in the app's recorder worker lists the gadget",
  ],
  ['chromium-acquire', 'the app takes exclusive access and the gadget refuses the eject'],
];
let reached = 'nothing';
let failedAt = null;
for (const [step, what] of order) {
  const r = b.steps[step];
  if (!r) {
    console.log(`-- ${step}: not reached (${what})`);
    failedAt ??= step;
    continue;
  }
  const ok = step === 'unbind' ? r.srLeft?.length === 0 : r.ok === true;
  console.log(
    `${ok ? 'ok' : 'FAILED'} ${step}${r.atMs !== undefined ? ` at ${(r.atMs / 1000).toFixed(0)} s` : ''}: ${what}`,
  );
  if (!ok) {
    failedAt ??= step;
    console.log(`   ${JSON.stringify(r).slice(0, 3000)}`);
  } else reached = step;
}
for (const extra of ['chromium-error', 'chromium-exit']) {
  if (b.steps[extra]) console.log(`${extra}: ${JSON.stringify(b.steps[extra]).slice(0, 4000)}`);
}
if (b.fatal.length || b.timedOut)
  console.log(`guest: ${JSON.stringify({ fatal: b.fatal, timedOut: b.timedOut })}`);
console.log(
  `reached: ${reached}; first failure: ${failedAt ?? 'none'}; guest ran ${b.seconds.toFixed(0)} s, ${seconds()} s in all; console ${b.consoleFile}`,
);
process.exitCode = failedAt ? 1 : 0;
