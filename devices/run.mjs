// `npm run test:devices`: the webdisc CLI against USB CD-ROM devices we did
// not write, in a Linux guest under QEMU (TCG):
//   qemu-usb-bot  QEMU's usb-bot with a scsi-cd behind it, on a qemu-xhci controller
//   linux-gadget  the kernel's mass-storage gadget (usb_f_mass_storage, cdrom=1,
//                 removable=1) on dummy_hcd, made through configfs in the guest
// One boot per device. devices/setup.sh prepares (and caches) the kernel, the
// initramfs and the test disc; guest/driver.mjs runs in the guest and reports
// each step on the second serial port; this file checks the reports and
// prints TAP, one JSON line of throughput per device, and `N passed, N failed`.
// usage: node devices/run.mjs [--device qemu-usb-bot|linux-gadget]... [--verbose]
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const cache = process.env.WEBDISC_DEVICES_CACHE ?? join(here, '.cache');
const logs = join(cache, 'logs');

/** What each device is, how QEMU makes it, and what the CLI should find. */
const DEVICES = {
  'qemu-usb-bot': {
    guest: 'qemu',
    title: 'QEMU usb-bot + scsi-cd on qemu-xhci',
    qemuArgs: (iso) => [
      '-device',
      'qemu-xhci,id=xhci',
      '-drive',
      `if=none,id=cd,file=${qemuPath(iso)},media=cdrom,format=raw,readonly=on`,
      '-device',
      'usb-bot,id=bot,bus=xhci.0',
      '-device',
      'scsi-cd,drive=cd,bus=bot.0',
    ],
    vendorId: 0x46f4,
    productId: 0x0001,
    name: 'QEMU QEMU USB HARDDRIVE',
    serial: null, // QEMU makes one from the device's place on the bus
    hasGetConfiguration: true,
    hasReadTrackInformation: false,
  },
  'linux-gadget': {
    guest: 'gadget',
    title: 'Linux mass-storage gadget (usb_f_mass_storage, cdrom=1) on dummy_hcd',
    // The gadget serves the disc from this virtio disk (guest/stage2.sh).
    qemuArgs: (iso) => ['-drive', `if=virtio,file=${qemuPath(iso)},format=raw,readonly=on`],
    vendorId: 0x1d6b,
    productId: 0x0104,
    name: 'webdisc tests Gadget CD-ROM',
    serial: 'WEBDISC0001',
    hasGetConfiguration: false,
    hasReadTrackInformation: false,
  },
};

const { values } = parseArgs({
  options: {
    device: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
    'timeout-s': { type: 'string', default: '480' },
  },
});
const chosen = values.device?.length ? values.device : Object.keys(DEVICES);
for (const d of chosen) {
  if (!DEVICES[d]) {
    console.error(`unknown device ${d}; one of ${Object.keys(DEVICES).join(', ')}`);
    process.exit(2);
  }
}

/** QEMU option values escape commas by doubling them. */
function qemuPath(path) {
  return path.replaceAll(',', ',,');
}

// ---------------------------------------------------------------- TAP output

let testNumber = 0;
let passed = 0;
let failed = 0;

function yamlText(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (text === undefined) return ' ~';
  return (
    ' |-\n' +
    text
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')
  );
}

/** One TAP test point; `problem` null for a pass, else what was expected and what came. */
function report(name, problem, printed = []) {
  testNumber++;
  if (!problem) {
    passed++;
    console.log(`ok ${testNumber} - ${name}`);
    return;
  }
  failed++;
  console.log(`not ok ${testNumber} - ${name}`);
  const lines = ['  ---'];
  lines.push(`  expected:${yamlText(problem.expected)}`);
  lines.push(`  got:${yamlText(problem.got)}`);
  if (problem.note) lines.push(`  note:${yamlText(problem.note)}`);
  for (const r of printed) {
    if (!r || !r.argv) continue;
    lines.push(`  command:${yamlText(r.argv.join(' '))}`);
    lines.push(`  exit: ${r.code}${r.signal ? ` (${r.signal})` : ''}`);
    if (r.stdout) lines.push(`  stdout:${yamlText(clip(r.stdout))}`);
    if (r.stderr) lines.push(`  stderr:${yamlText(clip(r.stderr))}`);
  }
  lines.push('  ...');
  console.log(lines.join('\n'));
}

const clip = (text, max = 4000) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;

// ---------------------------------------------------------------- set-up and boot

function setup() {
  const r = spawnSync('bash', [join(here, 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = /^ready: (.*)$/m.exec(r.stdout ?? '');
  if (r.status !== 0 || !ready) {
    console.log(`Bail out! devices/setup.sh failed (exit ${r.status})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  return Object.fromEntries(ready[1].split(' ').map((kv) => kv.split('=')));
}

/** Boots the guest for one device; resolves with the driver's reports and the console. */
function boot(device, env, sectors) {
  const spec = DEVICES[device];
  const resultsFile = join(logs, `${device}.results.log`);
  const consoleFile = join(logs, `${device}.console.log`);
  rmSync(resultsFile, { force: true });
  const args = [
    '-accel',
    process.env.WEBDISC_QEMU_ACCEL ?? 'tcg',
    '-cpu',
    'max',
    '-smp',
    '2',
    '-m',
    '3072',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-kernel',
    env.vmlinuz,
    '-initrd',
    env.initrd,
    '-append',
    [
      'console=ttyS0 quiet panic=-1',
      `webdisc.root=${repo}`,
      `webdisc.device=${spec.guest}`,
      `webdisc.sectors=${sectors}`,
    ].join(' '),
    '-serial',
    'stdio',
    '-serial',
    `file:${resultsFile}`,
    '-virtfs',
    `local,path=${qemuPath(repo)},mount_tag=host0,security_model=none,id=host0`,
    ...spec.qemuArgs(env.iso),
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('qemu-system-x86_64', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = createWriteStream(consoleFile);
    out.write(`$ qemu-system-x86_64 ${args.join(' ')}\n`);
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        out.write(chunk);
        if (values.verbose) process.stderr.write(chunk);
      });
    }
    const fatal = [];
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      Number(values['timeout-s']) * 1000,
    );
    let spawnError = null;
    child.on('error', (error) => {
      spawnError = error;
      out.write(`\nqemu-system-x86_64 could not run: ${error.message}\n`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (spawnError) fatal.push(`qemu-system-x86_64 could not run: ${spawnError.message}`);
      out.end();
      const text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
      const steps = {};
      for (const line of text.split(/\r?\n/)) {
        const m = /@@webdisc-result (\{.*\})\s*$/.exec(line);
        if (m) {
          try {
            const r = JSON.parse(m[1]);
            steps[r.step] = r;
          } catch {
            fatal.push(`unparsable report: ${line.slice(0, 200)}`);
          }
        }
        const f = /@@webdisc-fatal (.*)$/.exec(line);
        if (f) fatal.push(f[1]);
      }
      const consoleText = existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
      resolve({
        loadAverage: loadavg().map((x) => +x.toFixed(2)),
        steps,
        fatal,
        code,
        signal,
        timedOut,
        seconds: (Date.now() - started) / 1000,
        consoleTail: consoleText.split('\n').slice(-25).join('\n'),
        consoleFile,
      });
    });
  });
}

// ---------------------------------------------------------------- checks

/** The last JSON line a `--json` command printed, or undefined. */
function lastJson(r) {
  const lines = (r?.stdout ?? '').trim().split('\n').filter(Boolean);
  try {
    return lines.length ? JSON.parse(lines.at(-1)) : undefined;
  } catch {
    return undefined;
  }
}
function jsonLines(r) {
  return (r?.stdout ?? '')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        return { unparsable: l };
      }
    });
}
const hex4 = (n) => n.toString(16).padStart(4, '0');

function checkDevice(device, boot, host) {
  const spec = DEVICES[device];
  const s = boot.steps;
  const label = device;
  const check = (name, printed, fn) => {
    let problem;
    try {
      problem = fn() ?? null;
    } catch (error) {
      problem = { expected: 'the check to run', got: String(error?.stack ?? error) };
    }
    report(`${label}: ${name}`, problem, printed);
  };
  const expect = (cond, expected, got, note) => (cond ? null : { expected, got, note });

  console.log(`# ${label}: ${spec.title}`);
  check('the guest boots, runs every step and powers off', [], () =>
    expect(
      s.done && !boot.fatal.length && !boot.timedOut,
      'a `done` report, no fatal line, QEMU exits by itself',
      {
        steps: Object.keys(s),
        fatal: boot.fatal,
        timedOut: boot.timedOut,
        qemuExit: boot.code,
        console: boot.consoleTail,
        consoleLog: boot.consoleFile,
      },
    ),
  );
  if (!s.start) return;

  const k = s.kernel ?? {};
  check('the kernel (usb-storage + sr) attaches the drive as /dev/srN', [], () =>
    expect(k.sr && k.sizeBytes === host.bytes, `/dev/sr* of ${host.bytes} bytes`, {
      sr: k.sr,
      sizeBytes: k.sizeBytes,
      dmesg: k.dmesg,
    }),
  );
  check(
    "the kernel reads the image's SHA-256 from /dev/srN (the device serves the disc)",
    [s['kernel-sha256']],
    () =>
      expect(s['kernel-sha256']?.sha256 === host.sha256, host.sha256, s['kernel-sha256']?.sha256),
  );

  const want = `${hex4(spec.vendorId)}:${hex4(spec.productId)}`;
  const usbOf = (r) => lastJson(r)?.recorders?.find((x) => x.kind === 'usb');
  const listCheck = (r) => {
    const j = lastJson(r);
    const u = usbOf(r);
    return expect(
      r?.code === 0 &&
        j?.ok === true &&
        u &&
        u.vendorId === spec.vendorId &&
        u.productId === spec.productId &&
        u.name === spec.name &&
        (spec.serial === null || u.serial === spec.serial),
      `exit 0 and a usb recorder ${want} named "${spec.name}"` +
        (spec.serial ? ` with serial ${spec.serial}` : ''),
      u ?? j ?? r?.stdout,
    );
  };
  check(`list shows the drive (${want}) while usb-storage holds it`, [s['cli-list-bound']], () =>
    listCheck(s['cli-list-bound']),
  );
  check(
    'info while usb-storage holds the drive fails: E_ACCESS_DENIED, problem "busy"',
    [s['cli-info-bound']],
    () => {
      const j = lastJson(s['cli-info-bound']);
      return expect(
        s['cli-info-bound']?.code === 1 && j?.name === 'E_ACCESS_DENIED' && j?.problem === 'busy',
        'exit 1, {"ok":false,"name":"E_ACCESS_DENIED","problem":"busy"}',
        j ?? s['cli-info-bound'],
      );
    },
  );
  check('unbinding usb-storage frees the drive (no /dev/sr* left)', [], () =>
    expect(
      s.unbind?.unbound?.length === 1 && s.unbind.srLeft.length === 0,
      'one interface unbound, no sr device left',
      s.unbind,
    ),
  );
  check(`list shows the drive (${want})`, [s['cli-list']], () => listCheck(s['cli-list']));

  // info
  const infoRun = s['cli-info'];
  const info = lastJson(infoRun)?.info;
  check('info exits 0', [infoRun], () =>
    expect(infoRun?.code === 0 && info, 'exit 0', infoRun?.code),
  );
  if (info) {
    check('info: identity is the INQUIRY data the kernel saw', [infoRun], () => {
      const got = [info.identity.vendor, info.identity.product, info.identity.revision];
      const wanted = [k.vendor, k.model, k.rev];
      return expect(JSON.stringify(got) === JSON.stringify(wanted), wanted, got);
    });
    check('info: the drive writes nothing (a CD-ROM reader)', [infoRun], () =>
      expect(info.capabilities.writes.length === 0, [], info.capabilities.writes),
    );
    if (spec.hasGetConfiguration) {
      check('info: current profile CD-ROM (0x0008) from GET CONFIGURATION', [infoRun], () =>
        expect(info.currentProfile?.code === 8, { code: 8, name: 'CD-ROM' }, info.currentProfile),
      );
    } else {
      check('info: names GET CONFIGURATION among the commands the drive refused', [infoRun], () =>
        expect(
          info.unsupported.includes('GET CONFIGURATION'),
          'unsupported includes "GET CONFIGURATION"',
          info.unsupported,
        ),
      );
    }
    check('info: "unsupported" names each refused command once', [infoRun], () =>
      expect(
        new Set(info.unsupported).size === info.unsupported.length,
        [...new Set(info.unsupported)],
        info.unsupported,
        'the same command (with another page or field) refused twice is listed twice',
      ),
    );
    check('info: "unsupported" names no command that the drive carried out', [infoRun], () => {
      const modeSenseWorked = info.modePages.length > 0;
      return expect(
        !(modeSenseWorked && info.unsupported.includes('MODE SENSE(10)')),
        'no "MODE SENSE(10)" in unsupported, since MODE SENSE(10) read mode page ' +
          info.modePages.map((p) => p.code.toString(16) + 'h').join(', '),
        info.unsupported,
        'MODE SENSE(10) worked for one page and was refused for another: the page was ' +
          'refused, not the command (the text output says "unsupported by the drive: ' +
          'MODE SENSE(10)")',
      );
    });
  }
  check('info prints text without --json (exit 0)', [s['cli-info-text']], () =>
    expect(s['cli-info-text']?.code === 0, 'exit 0', s['cli-info-text']?.code),
  );

  // media
  const mediaRun = s['cli-media'];
  const media = lastJson(mediaRun)?.media;
  check('media exits 0', [mediaRun], () =>
    expect(mediaRun?.code === 0 && media, 'exit 0', mediaRun?.code),
  );
  if (media) {
    check('media: a disc, complete, 1 session', [mediaRun], () =>
      expect(
        media.present && media.status === 'complete' && media.sessions === 1,
        { present: true, status: 'complete', sessions: 1 },
        { present: media.present, status: media.status, sessions: media.sessions },
      ),
    );
    check(`media: capacity ${host.sectors} blocks of 2048 bytes, none free`, [mediaRun], () =>
      expect(
        media.capacityBlocks === host.sectors && media.blockSize === 2048 && media.freeBlocks === 0,
        { capacityBlocks: host.sectors, blockSize: 2048, freeBlocks: 0 },
        {
          capacityBlocks: media.capacityBlocks,
          blockSize: media.blockSize,
          freeBlocks: media.freeBlocks,
        },
      ),
    );
    check(
      `media: one data track, track 1 at LBA 0, ${host.sectors} blocks`,
      [mediaRun, s['cli-media-text']],
      () => {
        const wanted = [{ number: 1, session: 1, start: 0, size: host.sectors, mode: 'data' }];
        return expect(
          JSON.stringify(media.tracks) === JSON.stringify(wanted),
          wanted,
          media.tracks,
          spec.hasReadTrackInformation
            ? undefined
            : 'this drive refuses READ TRACK INFORMATION' +
                (spec.hasGetConfiguration ? ' (but answers READ DISC INFORMATION)' : '') +
                '; READ TOC, which it has, lists the track',
        );
      },
    );
    // Without GET CONFIGURATION the drive names no profile: the host says
    // "unknown" rather than guess (issue 13, item 17).
    check(
      spec.hasGetConfiguration
        ? 'media: the disc is a CD-ROM (profile 0x0008)'
        : 'media: no GET CONFIGURATION, so the profile is unknown, not guessed',
      [mediaRun, s['cli-media-text']],
      () =>
        spec.hasGetConfiguration
          ? expect(
              media.profile?.code === 8 && media.physicalType === 'IMAPI_MEDIA_TYPE_CDROM',
              { profile: { code: 8, name: 'CD-ROM' }, physicalType: 'IMAPI_MEDIA_TYPE_CDROM' },
              { profile: media.profile, physicalType: media.physicalType },
            )
          : expect(
              media.profile === null && media.physicalType === 'IMAPI_MEDIA_TYPE_UNKNOWN',
              { profile: null, physicalType: 'IMAPI_MEDIA_TYPE_UNKNOWN' },
              { profile: media.profile, physicalType: media.physicalType },
            ),
    );
  }
  check('media prints text without --json (exit 0)', [s['cli-media-text']], () =>
    expect(s['cli-media-text']?.code === 0, 'exit 0', s['cli-media-text']?.code),
  );

  // read
  const read = s['cli-read'];
  check(`read 0 ${host.sectors} FILE: exit 0, ${host.bytes} bytes written`, [read], () =>
    expect(
      read?.code === 0 && read.fileBytes === host.bytes,
      { exit: 0, bytes: host.bytes },
      { exit: read?.code, bytes: read?.fileBytes },
    ),
  );
  check('read: SHA-256 of the whole disc in the guest = the image on the host', [read], () =>
    expect(read?.sha256 === host.sha256, host.sha256, read?.sha256 ?? null),
  );
  check('read of the last sector (one block) succeeds', [s['cli-read-last']], () =>
    expect(s['cli-read-last']?.code === 0, 'exit 0', s['cli-read-last']?.code),
  );
  check(
    'read past the end fails with sense 5/21/00 (LBA out of range)',
    [s['cli-read-past-end']],
    () => {
      const j = lastJson(s['cli-read-past-end']);
      return expect(
        s['cli-read-past-end']?.code === 1 &&
          j?.sense?.key === 5 &&
          j.sense.asc === 0x21 &&
          j.sense.ascq === 0,
        'exit 1 with sense {key 5, asc 0x21, ascq 0}',
        j ?? s['cli-read-past-end']?.code,
      );
    },
  );

  // raw: the CSW residue
  const raw = s['cli-raw-inquiry'];
  check(
    'raw INQUIRY, 36 bytes asked in a 96-byte data stage: 36 bytes of data (CSW residue 60 honoured, padding dropped)',
    [raw],
    () => {
      const j = lastJson(raw);
      const bytes = typeof j?.data === 'string' ? j.data.length / 2 : null;
      return expect(
        raw?.code === 0 && bytes === 36,
        { exit: 0, dataBytes: 36 },
        { exit: raw?.code, transferred: j?.transferred, dataBytes: bytes },
        probeNote(s['bot-probe']),
      );
    },
  );

  console.log(`# ${label}: ${probeNote(s['bot-probe'])}`);

  supportTable(label, s['cli-shell-support']);

  // exclusive access through the shell
  const shell = s['cli-shell-lock'];
  check('shell: acquire, state, media, release, state (exclusive access and back)', [shell], () => {
    const lines = jsonLines(shell);
    const [acq, st1, med, rel, st2] = lines;
    return expect(
      shell?.code === 0 &&
        lines.length === 5 &&
        acq?.ok &&
        st1?.ok &&
        st1.lock?.count === 1 &&
        st1.lock?.owner === 'devtest' &&
        med?.ok &&
        rel?.ok &&
        st2?.ok &&
        st2.lock?.count === 0 &&
        st2.lock?.trayLocked !== true,
      'exit 0; five ok lines; count 1 owner "devtest" while held; count 0, tray not locked after',
      lines,
    );
  });
}

/** The drive's answers to the MMC commands webdisc relies on, as TAP comments. */
function supportTable(label, run) {
  if (!run?.names) return;
  const results = jsonLines(run);
  console.log(`# ${label}: the drive's answers (webdisc shell, raw):`);
  run.names.forEach((name, i) => {
    const r = results[i];
    let text;
    if (!r) text = 'no answer';
    else if (r.ok) text = `good, ${r.transferred} bytes`;
    else if (r.sense) {
      const h = (n) => n.toString(16).padStart(2, '0');
      text = `CHECK CONDITION ${r.sense.key.toString(16)}/${h(r.sense.asc)}/${h(r.sense.ascq)} (${r.message})`;
    } else text = `${r.name}: ${r.message}`;
    console.log(`#   ${name.padEnd(46)} ${text}`);
  });
}

/** What guest/bot-probe.mjs saw of the same INQUIRY, for the failure's note. */
function probeNote(probe) {
  const p = probe?.result;
  if (!p)
    return `the direct BOT probe gave nothing: ${probe?.stderr || probe?.error || 'no report'}`;
  if (p.error) return `the direct BOT probe failed: ${p.error}`;
  return (
    `the same CBW sent directly (guest/bot-probe.mjs): data stage ${p.dataStatus}, ${p.dataBytes} bytes` +
    `${p.dataTailZero ? ' (bytes 36 and on all zero: padding)' : ''}, CSW residue ` +
    `${p.cswResidue}, status ${p.cswStatus}${p.cswStall ? ' (after a stall of bulk-in)' : ''}; ` +
    'BOT: bytes moved = dCBWDataTransferLength - dCSWDataResidue'
  );
}

/** The kernel's read speed against the CLI's, as one JSON line. */
function throughput(device, boot, host) {
  const s = boot.steps;
  const mib = (bytes, ms) => (bytes && ms ? +(bytes / 1048576 / (ms / 1000)).toFixed(1) : null);
  const readMs = s['cli-read']?.code === 0 ? s['cli-read'].ms : null;
  // A one-sector read: the CLI's fixed cost (Node, tsx, USB enumeration, open).
  const fixedMs = s['cli-read-last']?.code === 0 ? s['cli-read-last'].ms : null;
  const dd = mib(s['dd-buffered']?.bytes, s['dd-buffered']?.ms);
  const ddDirect = mib(s['dd-direct']?.bytes, s['dd-direct']?.ms);
  const cli = mib(readMs && host.bytes, readMs);
  const cliNet = readMs && fixedMs && readMs > fixedMs ? mib(host.bytes, readMs - fixedMs) : null;
  const ratio = (a, b) => (a && b ? +(a / b).toFixed(3) : null);
  return {
    throughput: {
      device,
      discMiB: +(host.bytes / 1048576).toFixed(1),
      ddBufferedMiBps: dd,
      ddDirectMiBps: ddDirect,
      cliReadMiBps: cli,
      cliReadSeconds: readMs && readMs / 1000,
      cliFixedCostSeconds: fixedMs && fixedMs / 1000,
      cliReadMiBpsLessFixedCost: cliNet,
      ratioCliToDdBuffered: ratio(cli, dd),
      ratioCliToDdDirect: ratio(cli, ddDirect),
      ratioCliLessFixedCostToDdBuffered: ratio(cliNet, dd),
      accel: process.env.WEBDISC_QEMU_ACCEL ?? 'tcg',
      hostLoadAverage: boot.loadAverage,
    },
  };
}

// ---------------------------------------------------------------- main

const started = Date.now();
console.log('TAP version 13');
for (const dep of ['tsx', 'usb']) {
  if (!existsSync(join(repo, 'node_modules', dep, 'package.json'))) {
    console.log(`Bail out! node_modules/${dep} is missing: run npm ci first`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const env = setup();
const bytes = statSync(env.iso).size;
const host = { bytes, sectors: bytes / 2048, sha256: env.sha256 };
console.log(`# disc: ${env.iso}, ${host.sectors} sectors, SHA-256 ${host.sha256}`);
console.log(`# kernel ${env.kernel}; set-up took ${((Date.now() - started) / 1000).toFixed(1)} s`);
mkdirSync(logs, { recursive: true });
const figures = [];
const all = {};
for (const device of chosen) {
  const b = await boot(device, env, host.sectors);
  console.log(`# ${device}: guest ran ${b.seconds.toFixed(1)} s; console in ${b.consoleFile}`);
  all[device] = b;
  checkDevice(device, b, host);
  figures.push(throughput(device, b, host));
}
console.log(`1..${testNumber}`);
console.log(`# tests ${testNumber}`);
console.log(`# pass ${passed}`);
console.log(`# fail ${failed}`);
console.log(`# duration_ms ${Date.now() - started}`);
for (const f of figures) console.log(JSON.stringify(f));
writeFileSync(join(logs, 'report.json'), JSON.stringify({ host, figures, runs: all }, null, 2));
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
