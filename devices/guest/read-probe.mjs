// The floor under any Node program's read of the disc here: READ(10) of 1 MiB
// at a time over the whole disc through the npm `usb` package's WebUSB class,
// with no webdisc code, no hashing and nothing written (the bytes are
// dropped, as dd's of=/dev/null does). Prints one JSON line {bytes, ms}.
// The throughput figures set it beside the kernel's dd and the CLI: what
// separates the CLI from this is ours; what separates this from dd is the
// user-space USB path itself (issue 17's speed target).
import { performance } from 'node:perf_hooks';
import { WebUSB } from 'usb';

const sectors = Number(process.argv[2]);
const CHUNK = 512; // sectors: 1 MiB, the CLI's default READ size
const webusb = new WebUSB({ allowAllDevices: true, deviceTimeout: 10_000 });
const out = {};
try {
  let found;
  for (const device of await webusb.getDevices()) {
    for (const intf of device.configuration?.interfaces ?? []) {
      const a = intf.alternate;
      if (a.interfaceClass === 8 && a.interfaceSubclass === 6 && a.interfaceProtocol === 0x50)
        found = { device, intf, alt: a };
    }
  }
  if (!found) throw new Error('no Bulk-Only mass-storage interface');
  const { device, intf, alt } = found;
  const ep = (dir) =>
    alt.endpoints.find((e) => e.direction === dir && e.type === 'bulk').endpointNumber;
  const inEp = ep('in');
  const outEp = ep('out');
  await device.open();
  await device.claimInterface(intf.interfaceNumber);
  const cbw = new Uint8Array(31);
  const v = new DataView(cbw.buffer);
  let tag = 1;
  let bytes = 0;
  const started = performance.now();
  for (let lba = 0; lba < sectors; lba += CHUNK) {
    const n = Math.min(CHUNK, sectors - lba);
    v.setUint32(0, 0x43425355, true);
    v.setUint32(4, tag++, true);
    v.setUint32(8, n * 2048, true);
    cbw[12] = 0x80;
    cbw[13] = 0;
    cbw[14] = 10;
    cbw.fill(0, 15);
    cbw.set(
      [
        0x28,
        0,
        lba >>> 24,
        (lba >>> 16) & 0xff,
        (lba >>> 8) & 0xff,
        lba & 0xff,
        0,
        n >> 8,
        n & 0xff,
        0,
      ],
      15,
    );
    await device.transferOut(outEp, cbw);
    const data = await device.transferIn(inEp, n * 2048);
    bytes += data.data?.byteLength ?? 0;
    const csw = await device.transferIn(inEp, 13);
    if (csw.data?.getUint8(12) !== 0) throw new Error(`READ(10) at ${lba} failed`);
  }
  out.ms = Math.round(performance.now() - started);
  out.bytes = bytes;
  await device.releaseInterface(intf.interfaceNumber);
  await device.close();
} catch (error) {
  out.error = String(error?.message ?? error);
}
console.log(JSON.stringify(out));
process.exit(0);
