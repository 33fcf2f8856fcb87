// A direct probe for QEMU's usb-bot, outside webdisc, through the `usb`
// package: READ(10) of 10 blocks at LBA 16 (which fills QEMU's throttling
// bucket), then READ(10) of one block at LBA 512, whose transfer gives up
// after 1 s (node-usb cancels the URB, so the guest's xHCI driver stops the
// endpoint). guest/lock-steps.mjs runs it while the drive's reads are
// throttled, to see what cancelling an in-flight command does to the guest.
// Prints one JSON line.
import { WebUSB } from 'usb';

const now = () => Number(process.hrtime.bigint()) / 1e6;
const out = {};
try {
  const webusb = new WebUSB({ allowAllDevices: true, deviceTimeout: 10_000 });
  const device = (await webusb.getDevices()).find((d) =>
    d.configuration?.interfaces?.some((i) => i.alternate.interfaceClass === 8),
  );
  if (!device) throw new Error('no mass-storage device');
  await device.open();
  await device.claimInterface(0);
  const read10 = async (tag, lba, blocks, timeoutMs) => {
    const cbw = new Uint8Array(31);
    const v = new DataView(cbw.buffer);
    v.setUint32(0, 0x43425355, true); // USBC
    v.setUint32(4, tag, true);
    v.setUint32(8, blocks * 2048, true);
    cbw[12] = 0x80; // data in
    cbw[14] = 10;
    cbw.set([0x28, 0, 0, (lba >>> 16) & 255, (lba >>> 8) & 255, lba & 255, 0, 0, blocks, 0], 15);
    await device.transferOut(2, cbw);
    const data = await device.transferIn(1, blocks * 2048, timeoutMs);
    const csw = await device.transferIn(1, 13, timeoutMs);
    return { data: data.data?.byteLength ?? 0, csw: csw.data?.byteLength ?? 0 };
  };
  out.prime = await read10(1, 16, 10, 60_000);
  const started = now();
  try {
    out.held = await read10(2, 512, 1, 1000);
  } catch (error) {
    out.held = String(error?.message ?? error);
  }
  out.transferMs = Math.round(now() - started);
} catch (error) {
  out.error = String(error?.message ?? error);
}
console.log(JSON.stringify(out));
process.exit(0);
