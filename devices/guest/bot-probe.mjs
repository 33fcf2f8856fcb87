// A direct Bulk-Only Transport probe, outside webdisc, for the record: one
// INQUIRY asking for 36 bytes (allocation length 24h) in a 96-byte data stage
// (dCBWDataTransferLength 96), through the npm `usb` package's WebUSB class.
// Prints one JSON line: how many bytes the data stage brought, and the CSW's
// residue and status. run.mjs shows it beside the CLI's `raw` result.
import { cbw, probe } from './bot-direct.mjs';

/** transferIn; a stalled endpoint (which node-usb may throw) as status "stall". */
async function transferIn(device, ep, length) {
  try {
    return await device.transferIn(ep, length);
  } catch (error) {
    if (/stall/i.test(String(error?.message ?? error))) return { status: 'stall', data: null };
    throw error;
  }
}
await probe(async ({ device, inEp, outEp }, out) => {
  // INQUIRY, allocation length 36, in a 96-byte data stage.
  await device.transferOut(outEp, cbw(0x1234, 96, [0x12, 0, 0, 0, 0x24, 0]));
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
});
