// The tray-lock checks of devices/run.mjs on guest/lock-steps.mjs's reports:
// while one `webdisc shell` holds exclusive access, the device itself must
// refuse the OS's eject, also after a Bulk-Only reset and after the port
// reset that follows a timeout; a timed-out command must leave the drive
// usable; after release the eject must work.
import { DEVICES } from './guest.mjs';
import { checker, expect, line } from './tap.mjs';

const TIMEOUT_NAME = 'E_IMAPI_RECORDER_COMMAND_TIMEOUT';
const TRANSPORT_NAME = 'E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE';

/** What the device did with the OS's eject, for the report. */
const ejectGot = (e) => e && { how: e.how, output: e.output, after: e.after };
/** A shell line and its answer, for the report. */
const said = (entry) =>
  entry && { send: entry.send, answer: entry.json ?? entry.line, ms: entry.ms };
/** The eject was refused and the disc is still in. */
const refused = (e) => e?.refused === true && e?.medium === true;
/** TEST UNIT READY and READ(10) of one block worked, and the session still holds the drive. */
const nextWorked = ([tur, read, state] = []) =>
  tur?.json?.ok === true &&
  read?.json?.ok === true &&
  read.json.transferred === 2048 &&
  state?.json?.lock?.count === 1;

export function checkLocks(device, boot) {
  const spec = DEVICES[device];
  const s = boot.steps;
  const check = checker(device);
  const qemu = spec.guest === 'qemu';
  const ejectName = qemu
    ? `the QEMU monitor's \`eject ${spec.drive}\``
    : "a write to the LUN's configfs `file` (the gadget side's eject)";
  const refusedNote = qemu
    ? 'QEMU answers "Device \'cd\' is locked and force was not specified" while the scsi-cd has PREVENT'
    : "storage_common.c fsg_store_file returns -EBUSY while the host's PREVENT holds";
  const keepsPrevent = qemu
    ? 'QEMU keeps PREVENT over a Bulk-Only reset (the scsi-cd itself is not reset), so this holds whether or not the CLI asserts it again'
    : 'the gadget clears PREVENT on every reset (f_mass_storage.c handle_exception), so only the host asserting it again keeps the tray locked';

  const hold = s['lock-hold'];
  check('shell: acquire takes exclusive access (count 1)', [hold], () =>
    expect(
      hold?.acquire?.json?.ok === true && hold.state?.json?.lock?.count === 1,
      'acquire ok; state: count 1',
      { acquire: said(hold?.acquire), state: said(hold?.state) },
    ),
  );
  check(`while the shell holds the drive, the device refuses ${ejectName}`, [hold], () =>
    expect(
      refused(hold?.eject),
      'the eject refused and the disc still in',
      { eject: ejectGot(hold?.eject), restored: hold?.restored },
      refusedNote,
    ),
  );
  const o = s['lock-other-process'];
  check("a second process sees the owner's name (owner, state)", [o], () =>
    expect(
      o?.acquire?.json?.ok === true &&
        o.otherOwner?.json?.owner === 'devtest-owner' &&
        o.otherState?.json?.lock?.owner === 'devtest-owner' &&
        o.otherState.json.lock.busy === true,
      'owner devtest-owner; state: owner devtest-owner, busy',
      { acquire: said(o?.acquire), owner: said(o?.otherOwner), state: said(o?.otherState) },
    ),
  );
  check(
    'a second process is refused with E_ACCESS_DENIED naming the owner, with and without force; the holder keeps the drive',
    [o],
    () =>
      expect(
        [o?.otherAcquire, o?.otherForce].every(
          (r) =>
            r?.json?.ok === false &&
            r.json.name === 'E_ACCESS_DENIED' &&
            /devtest-owner/.test(String(r.json.message)),
        ) &&
          o.stillHeld?.json?.lock?.count === 1 &&
          refused(o.eject),
        'both E_ACCESS_DENIED with "devtest-owner"; holder count 1; the eject refused',
        {
          acquire: said(o?.otherAcquire),
          force: said(o?.otherForce),
          holder: said(o?.stillHeld),
          eject: ejectGot(o?.eject),
        },
      ),
  );
  check(
    'SIGKILL of the holder frees the drive within a second; the next process takes it, releases it, and the tray opens',
    [o],
    () =>
      expect(
        o?.after?.json?.ok === true &&
          o.freedMs !== undefined &&
          o.tries?.[0] !== undefined &&
          o.tries[0] < 1000 &&
          o.release?.json?.ok === true &&
          o.ejectAfter?.refused === false,
        'the first acquire after the kill ok (< 1000 ms after it); release ok; the eject done',
        {
          state: said(o?.staleState),
          after: said(o?.after),
          tries: o?.tries,
          release: said(o?.release),
          ejectAfter: ejectGot(o?.ejectAfter),
        },
      ),
  );
  check('shell: release gives exclusive access back (count 0)', [hold], () =>
    expect(
      hold?.release?.json?.ok === true && hold.released?.json?.lock?.count === 0,
      'release ok; state: count 0',
      { release: said(hold?.release), state: said(hold?.released) },
    ),
  );
  check(`after release the device allows ${ejectName}`, [hold], () =>
    expect(
      hold?.ejectReleased?.refused === false && hold.ejectReleased.medium === false,
      'the eject done, the disc out',
      ejectGot(hold?.ejectReleased),
    ),
  );
  if (hold?.reinsert) line(`# ${device}: the disc put back: ${JSON.stringify(hold.reinsert)}`);

  if (qemu) {
    // No timeout checks here: no stall of QEMU's drive leaves its guest running
    // through the CLI's recovery (these measurements say why); the gadget has them.
    const p = s['qemu-pause'];
    line(
      `# ${device}: no timeout checks: the QEMU monitor's stop for ${p?.hostPauseMs} ms, then cont: the guest's clock moved ${p?.guestMs} ms (the guest's clocks stop with the VM)`,
    );
    const h = s['qemu-held-read'];
    line(
      `# ${device}: no timeout checks: a READ(10) held back by throttling the drive's reads, through the CLI: ${h?.viaCli?.result?.heldMs} ms, and this guest's processes ran on (longest gap between 100 ms ticks: ${h?.viaCli?.longestGapMs} ms)`,
    );
    line(
      `# ${device}: no timeout checks: the same held read with its USB transfer cancelled after 1 s (guest/held-read-probe.mjs: ${h?.viaProbe?.result}): no tick for ${h?.viaProbe?.longestGapMs} ms: QEMU cancels the SCSI command synchronously (scsi_req_cancel waits for the read) and the guest stops until the read ends; the CLI's reset after a timeout cancels it the same way`,
    );
  } else {
    const limitMs = 10_000;
    const timedOut = (t) =>
      expect(
        t?.command?.json?.name === TIMEOUT_NAME && t.command.ms >= limitMs,
        `{"ok":false,"name":"${TIMEOUT_NAME}"} after at least ${limitMs} ms`,
        { command: said(t?.command), stall: t?.stall },
      );
    const timeoutWhat = 'TEST UNIT READY (timeout 10 s)';
    const d = s['lock-timeout-desktop'];
    const desktop = 'usb-storage loaded (as on a desktop)';
    check(`${desktop}: ${timeoutWhat} on the stalled device times out`, [d], () => timedOut(d));
    check(
      `${desktop}: after the timeout's port reset the CLI still has the drive and the next commands work`,
      [d],
      () =>
        expect(
          d?.portResets >= 1 && d.kernelAfter?.usbStorage?.length === 0 && nextWorked(d.next),
          'a port reset; usb-storage not bound to the drive after it; TEST UNIT READY ok, READ(10) ok (2048 bytes), state count 1',
          {
            kernelLog: d?.kernelLog,
            kernelAfter: d?.kernelAfter,
            command: said(d?.command),
            next: (d?.next ?? []).map(said),
          },
          'a port reset unbinds usbfs from the interface (it has no pre_reset/post_reset) and the kernel binds it again afterwards (usb_reset_device): the driver that matches, usb-storage, takes it unless the host released it first and claims it back with USBDEVFS_DISCONNECT_CLAIM, as libusb does',
        ),
    );
    check(
      `${desktop}: after the timeout and the port reset the device still refuses ${ejectName}`,
      [d],
      () =>
        expect(
          refused(d?.eject),
          'the eject refused and the disc still in',
          { eject: ejectGot(d?.eject), restored: d?.restored },
          keepsPrevent,
        ),
    );

    const t = s['lock-timeout'];
    const unloaded = s['unload-usb-storage'];
    const unloadedWhat = 'usb-storage unloaded';
    check(`${unloadedWhat}: ${timeoutWhat} on the stalled device times out`, [t], () =>
      timedOut(t),
    );
    check(
      `${unloadedWhat}: after the timeout the CLI resets the USB port (the kernel logs it)`,
      [t],
      () =>
        expect(t?.portResets >= 1, 'at least one port reset', {
          portResets: t?.portResetLog,
          unload: unloaded,
        }),
    );
    check(
      `${unloadedWhat}: after the timeout and the port reset the device still refuses ${ejectName} (PREVENT there again)`,
      [t],
      () =>
        expect(
          refused(t?.eject),
          'the eject refused and the disc still in',
          { eject: ejectGot(t?.eject), restored: t?.restored, command: said(t?.command) },
          keepsPrevent,
        ),
    );
    check(
      `${unloadedWhat}: after the timeout the next commands work (TEST UNIT READY, READ(10), state count 1)`,
      [t],
      () =>
        expect(nextWorked(t?.next), 'ok; ok with 2048 bytes; count 1', {
          next: (t?.next ?? []).map(said),
          kernelAfter: t?.kernelAfter,
          unload: unloaded,
        }),
    );
  }

  const b = s['lock-bot-reset'];
  check(
    // QEMU 7.2's usb-bot still stalls after the Bulk-Only reset, so the host
    // escalates to a port reset (as Linux's error handler does); the gadget
    // recovers with the Bulk-Only reset alone.
    qemu
      ? `a command the device fails at the transport level (INQUIRY with a data-out stage) ends in ${TRANSPORT_NAME}; the Bulk-Only reset is not enough and the host escalates to a port reset`
      : `a command the device fails at the transport level (INQUIRY with a data-out stage) ends in ${TRANSPORT_NAME}, with a Bulk-Only reset and no port reset`,
    [b],
    () =>
      expect(
        b?.trigger?.json?.ok === false &&
          b.trigger.json.name === TRANSPORT_NAME &&
          (qemu ? b.portResets >= 1 : b.portResets === 0),
        qemu
          ? `{"ok":false,"name":"${TRANSPORT_NAME}"}; a port reset in the kernel's log`
          : `{"ok":false,"name":"${TRANSPORT_NAME}"}; no port reset in the kernel's log`,
        { trigger: said(b?.trigger), portResets: b?.portResets },
      ),
  );
  check(
    `after the Bulk-Only reset the device still refuses ${ejectName} (PREVENT there again)`,
    [b],
    () =>
      expect(
        refused(b?.eject),
        'the eject refused and the disc still in',
        { eject: ejectGot(b?.eject), restored: b?.restored },
        keepsPrevent,
      ),
  );
  check(
    'after the Bulk-Only reset the next commands work (TEST UNIT READY, READ(10), state count 1)',
    [b],
    () =>
      expect(
        nextWorked(b?.next),
        'ok; ok with 2048 bytes; count 1',
        (b?.next ?? []).map(said),
        qemu
          ? "QEMU 7.2's usb-bot, after this error (usb_msd_fatal_error), stalls every packet until a USB reset: its Bulk-Only reset only sets the mode back to CBW (dev-storage.c). Linux usb-storage answers a transport error with a port reset first (transport.c Handle_Errors)"
          : undefined,
      ),
  );
}
