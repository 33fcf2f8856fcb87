// In the guest (driver.mjs --mode chromium, started by devices/chromium-probe.mjs):
// prepares a root in which the host's Debian Chromium can run against the
// gadget, then runs guest/chromium-app.mjs in it. The host's root file system
// comes over 9p (mount tag `hostroot`, read-only) and is used through chroot,
// so Chromium finds its 100-odd shared libraries, its resources and fonts as
// on the host, with nothing copied; /proc, /sys, /dev are the guest's, and a
// tmpfs over /tmp, /run, /root and /etc/chromium holds what must be written
// (the profile, and the policy that grants the gadget to the app's origin).
// Each stage is one `@@webdisc-result` report, `chromium-STAGE`; the host
// prints how far it got.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';

const HOST = '/host';
const now = () => Number(process.hrtime.bigint()) / 1e6;

function sh(command, timeoutMs = 120_000) {
  const started = now();
  const r = spawnSync('sh', ['-c', command], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 << 20,
  });
  return {
    command,
    code: r.status,
    signal: r.signal,
    stdout: (r.stdout ?? '').slice(-4000),
    stderr: (r.stderr ?? '').slice(-4000),
    ms: Math.round(now() - started),
  };
}

export async function chromiumSteps({ emit, root }) {
  // 1. The host's root, and what Chromium needs around it.
  mkdirSync(HOST, { recursive: true });
  const mounts = [
    `mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,ro hostroot ${HOST}`,
    `mount --bind /proc ${HOST}/proc`,
    `mount --rbind /sys ${HOST}/sys`,
    `mount --bind /dev ${HOST}/dev`,
    `mount -t tmpfs tmpfs ${HOST}/dev/shm`,
    `mount -t tmpfs tmpfs ${HOST}/tmp`,
    `mount -t tmpfs tmpfs ${HOST}/run`,
    `mount -t tmpfs tmpfs ${HOST}/root`,
    `mount -t tmpfs tmpfs ${HOST}/etc/chromium`,
    `mount --bind ${root} ${HOST}${root}`,
    'ip link set lo up || ifconfig lo 127.0.0.1 up',
  ].map((c) => sh(c));
  const rootOk =
    mounts.every((m) => m.code === 0) && existsSync(`${HOST}/usr/lib/chromium/chromium`);
  emit('chromium-root', { ok: rootOk, mounts });
  if (!rootOk) return;

  // 2. Chromium starts at all (under TCG, from 9p).
  const version = sh(`chroot ${HOST} /usr/lib/chromium/chromium --no-sandbox --version`, 300_000);
  emit('chromium-version', { ok: version.code === 0, ...version });
  if (version.code !== 0) return;

  // 3. Node in the chroot (the host's), plain and with tsx.
  const node = [
    sh(`chroot ${HOST} /usr/bin/node -e "console.log(process.version)"`),
    sh(
      `cd ${root} && chroot ${HOST} sh -c 'cd ${root} && /usr/bin/node --import tsx -e "console.log(1)"'`,
    ),
  ];
  emit('chromium-node', { ok: node.every((n) => n.code === 0), node });

  // 4. The app (guest/chromium-app.mjs reports its own stages).
  // Chromium and node both crashed now and then here at start (a CHECK's
  // int3, a SIGSEGV: see chromium-exit's kernel log), so up to three tries.
  let app;
  for (let attempt = 1; attempt <= 3; attempt++) {
    app = sh(
      `cd ${root} && chroot ${HOST} /usr/bin/env HOME=/root XDG_RUNTIME_DIR=/run/user/0 ` +
        `TMPDIR=/tmp sh -c 'cd ${root} && exec /usr/bin/node --import tsx ` +
        `devices/guest/chromium-app.mjs ${root}'`,
      1_500_000,
    );
    app.attempt = attempt;
    // Again only when it crashed before Chromium was up.
    if (app.signal === null && /launch ok/.test(app.stdout)) break;
  }
  const segfaults = sh('dmesg | grep -i -A2 "segfault\\|trap" | tail -n 20');
  emit('chromium-exit', { ok: app.code === 0, ...app, kernelLog: segfaults.stdout });
}
