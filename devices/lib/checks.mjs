// The checks of devices/run.mjs on one device's reports (guest/driver.mjs):
// the kernel's view, list, info, media, read, raw, the shell's exclusive
// access, the drive's command table as `#` comments, and the throughput line.
// The tray-lock, reset and timeout checks are in lock-checks.mjs.
import { DEVICES } from './guest.mjs';
import { checker, expect, line } from './tap.mjs';

/** The last JSON line a `--json` command printed, or undefined. */
export function lastJson(r) {
  const lines = (r?.stdout ?? '').trim().split('\n').filter(Boolean);
  try {
    return lines.length ? JSON.parse(lines.at(-1)) : undefined;
  } catch {
    return undefined;
  }
}
export function jsonLines(r) {
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

/**
 * The checks on one device's reports. `mode` "bench" ran only the steps the
 * throughput needs (the kernel's reads, the unbinding, the CLI's reads), and
 * "locks" and "kill" only the unbinding before the lock steps or the kill
 * cycles, so only their checks run.
 */
export function checkDevice(device, boot, host, mode = 'all') {
  const spec = DEVICES[device];
  const s = boot.steps;
  const label = device;
  const check = checker(label);

  line(`# ${label}: ${spec.title}`);
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
  const unbindOnly = mode === 'locks' || mode === 'kill';
  if (!unbindOnly)
    check(
      "the kernel reads the image's SHA-256 from /dev/srN (the device serves the disc)",
      [s['kernel-sha256']],
      () =>
        expect(s['kernel-sha256']?.sha256 === host.sha256, host.sha256, s['kernel-sha256']?.sha256),
    );

  /** The CLI's reads: the whole disc (timed, SHA-256), the last sector, one past the end. */
  const readChecks = () => {
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
    const save = s['cli-save'];
    const saveJson = lastJson(save);
    check('save IMAGE: exit 0, the whole disc, its SHA-256 = the image on the host', [save], () =>
      expect(
        save?.code === 0 &&
          save.fileBytes === host.bytes &&
          save.sha256 === host.sha256 &&
          saveJson?.save?.sha256 === host.sha256,
        { exit: 0, bytes: host.bytes, sha256: host.sha256 },
        {
          exit: save?.code,
          bytes: save?.fileBytes,
          sha256: save?.sha256,
          reported: saveJson?.save?.sha256,
        },
      ),
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
  };

  const unbindCheck = () =>
    check('unbinding usb-storage frees the drive (no /dev/sr* left)', [], () =>
      expect(
        s.unbind?.unbound?.length === 1 && s.unbind.srLeft.length === 0,
        'one interface unbound, no sr device left',
        s.unbind,
      ),
    );
  if (mode === 'bench' || unbindOnly) {
    unbindCheck();
    if (mode === 'bench') readChecks();
    return;
  }

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
  unbindCheck();
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

  readChecks();

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

  line(`# ${label}: ${probeNote(s['bot-probe'])}`);

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
export function supportTable(label, run) {
  if (!run?.names) return;
  const results = jsonLines(run);
  line(`# ${label}: the drive's answers (webdisc shell, raw):`);
  run.names.forEach((name, i) => {
    const r = results[i];
    let text;
    if (!r) text = 'no answer';
    else if (r.ok) text = `good, ${r.transferred} bytes`;
    else if (r.sense) {
      const h = (n) => n.toString(16).padStart(2, '0');
      text = `CHECK CONDITION ${r.sense.key.toString(16)}/${h(r.sense.asc)}/${h(r.sense.ascq)} (${r.message})`;
    } else text = `${r.name}: ${r.message}`;
    line(`#   ${name.padEnd(46)} ${text}`);
  });
}

/** What guest/bot-probe.mjs saw of the same INQUIRY, for the failure's note. */
export function probeNote(probe) {
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
export function throughput(device, boot, host) {
  const s = boot.steps;
  const mib = (bytes, ms) => (bytes && ms ? +(bytes / 1048576 / (ms / 1000)).toFixed(1) : null);
  const readMs = s['cli-read']?.code === 0 ? s['cli-read'].ms : null;
  // A one-sector read: the CLI's fixed cost (Node, loading the built CLI, USB enumeration, open).
  const fixedMs = s['cli-read-last']?.code === 0 ? s['cli-read-last'].ms : null;
  const dd = mib(s['dd-buffered']?.bytes, s['dd-buffered']?.ms);
  const ddDirect = mib(s['dd-direct']?.bytes, s['dd-direct']?.ms);
  const cli = mib(readMs && host.bytes, readMs);
  const saveMs = s['cli-save']?.code === 0 ? s['cli-save'].ms : null;
  const save = mib(saveMs && host.bytes, saveMs);
  const saveNet = saveMs && fixedMs && saveMs > fixedMs ? mib(host.bytes, saveMs - fixedMs) : null;
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
      cliSaveMiBps: save,
      cliSaveMiBpsLessFixedCost: saveNet,
      ratioCliSaveToDdBuffered: ratio(save, dd),
      ratioCliSaveLessFixedCostToDdBuffered: ratio(saveNet, dd),
      // A bare READ(10) loop on the `usb` package (guest/read-probe.mjs): the
      // user-space floor any Node program reading this disc stands on.
      rawUsbReadMiBps:
        s['raw-read']?.code === 0 ? mib(s['raw-read'].bytes, s['raw-read'].ms) : null,
      ratioRawUsbToDdBuffered:
        s['raw-read']?.code === 0 ? ratio(mib(s['raw-read'].bytes, s['raw-read'].ms), dd) : null,
      ddBufferedSeconds: s['dd-buffered']?.ms ? s['dd-buffered'].ms / 1000 : null,
      // `node -e 0` in the guest: no Node program can read the disc faster
      // than the kernel when this alone takes longer than dd's whole read.
      nodeStartupSeconds: s['node-startup']?.ms ? s['node-startup'].ms / 1000 : null,
      accel: process.env.WEBDISC_QEMU_ACCEL ?? 'tcg',
      hostLoadAverage: boot.loadAverage,
    },
  };
}
