// What the direct Bulk-Only probes (bot-probe.mjs, read-probe.mjs) share:
// the drive's Bulk-Only interface through the npm `usb` package's WebUSB
// class, a CBW (USB Mass Storage Class Bulk-Only Transport 1.0 §5.1), and a
// run that prints one JSON line whatever happens. No webdisc code: these
// probes measure what is under it.
import { WebUSB } from 'usb';

/** A 31-byte CBW: `tag`, a data-in stage of `length` bytes, LUN 0, `cdb`. */
export function cbw(tag, length, cdb) {
  const bytes = new Uint8Array(31);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x43425355, true); // USBC
  v.setUint32(4, tag, true);
  v.setUint32(8, length, true); // dCBWDataTransferLength
  bytes[12] = 0x80; // data in
  bytes[13] = 0; // LUN
  bytes[14] = cdb.length;
  bytes.set(cdb, 15);
  return bytes;
}

/**
 * Opens the first Bulk-Only mass-storage interface (class 08h, subclass
 * 06h, protocol 50h), runs `work({device, inEp, outEp}, out)`, gives the
 * interface back, and prints `out` as one JSON line (with `error` when
 * anything failed); exits 0 either way: the host judges the line.
 */
export async function probe(work) {
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
    await device.open();
    await device.claimInterface(intf.interfaceNumber);
    await work({ device, inEp: ep('in'), outEp: ep('out') }, out);
    await device.releaseInterface(intf.interfaceNumber);
    await device.close();
  } catch (error) {
    out.error = String(error?.message ?? error);
  }
  console.log(JSON.stringify(out));
  process.exit(0);
}
