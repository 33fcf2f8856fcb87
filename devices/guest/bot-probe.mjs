// A direct Bulk-Only Transport probe, outside webdisc, for the record: one
// INQUIRY asking for 36 bytes (allocation length 24h) in a 96-byte data stage
// (dCBWDataTransferLength 96), through the npm `usb` package's WebUSB class.
// Prints one JSON line: how many bytes the data stage brought, and the CSW's
// residue and status. run.mjs shows it beside the CLI's `raw` result.
import { WebUSB } from 'usb';

const webusb = new WebUSB({ allowAllDevices: true, deviceTimeout: 10_000 });

/** transferIn; a stalled endpoint (which node-usb may throw) as status "stall". */
async function transferIn(device, ep, length) {
  try {
    return await device.transferIn(ep, length);
  } catch (error) {
    if (/stall/i.test(String(error?.message ?? error))) return { status: 'stall', data: null };
    throw error;
  }
}
const out = {};
try {
  let found;
  for (const device of await webusb.getDevices()) {
    for (const intf of device.configuration?.interfaces ?? []) {
      const alt = intf.alternate;
      if (
        alt.interfaceClass === 8 &&
        alt.interfaceSubclass === 6 &&
        alt.interfaceProtocol === 0x50
      ) {
        found = { device, intf, alt };
      }
    }
  }
  if (!found) throw new Error('no Bulk-Only mass-storage interface');
  const { device, intf, alt } = found;
  const inEp = alt.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk').endpointNumber;
  const outEp = alt.endpoints.find(
    (e) => e.direction === 'out' && e.type === 'bulk',
  ).endpointNumber;
  await device.open();
  await device.claimInterface(intf.interfaceNumber);
  const cbw = new Uint8Array(31);
  const v = new DataView(cbw.buffer);
  v.setUint32(0, 0x43425355, true); // USBC
  v.setUint32(4, 0x1234, true); // tag
  v.setUint32(8, 96, true); // dCBWDataTransferLength
  cbw[12] = 0x80; // data in
  cbw[13] = 0; // LUN
  cbw[14] = 6; // CDB length
  cbw.set([0x12, 0, 0, 0, 0x24, 0], 15); // INQUIRY, allocation length 36
  await device.transferOut(outEp, cbw);
  const data = await transferIn(device, inEp, 96);
  if (data.status === 'stall') await device.clearHalt('in', inEp);
  out.dataStatus = data.status;
  out.dataBytes = data.data?.byteLength ?? 0;
  out.dataTailZero =
    out.dataBytes > 36 &&
    new Uint8Array(data.data.buffer, data.data.byteOffset + 36, out.dataBytes - 36).every(
      (b) => b === 0,
    );
  let csw = await transferIn(device, inEp, 13);
  if (csw.status === 'stall') {
    out.cswStall = true;
    await device.clearHalt('in', inEp);
    csw = await transferIn(device, inEp, 13);
  }
  const c = csw.data;
  out.cswBytes = c?.byteLength ?? 0;
  if (c && c.byteLength === 13) {
    out.cswSignatureOk = c.getUint32(0, true) === 0x53425355;
    out.cswResidue = c.getUint32(8, true);
    out.cswStatus = c.getUint8(12);
  }
  await device.releaseInterface(intf.interfaceNumber);
  await device.close();
} catch (error) {
  out.error = String(error?.message ?? error);
}
console.log(JSON.stringify(out));
process.exit(0);
