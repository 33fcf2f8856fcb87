// The floor under any Node program's read of the disc here: READ(10) of 1 MiB
// at a time over the whole disc through the npm `usb` package's WebUSB class,
// with no webdisc code, no hashing and nothing written (the bytes are
// dropped, as dd's of=/dev/null does). Prints one JSON line {bytes, ms}.
// The throughput figures set it beside the kernel's dd and the CLI: what
// separates the CLI from this is ours; what separates this from dd is the
// user-space USB path itself (issue 17's speed target).
import { performance } from 'node:perf_hooks';
import { cbw, probe } from './bot-direct.mjs';

const sectors = Number(process.argv[2]);
const CHUNK = 512; // sectors: 1 MiB, the CLI's default READ size
await probe(async ({ device, inEp, outEp }, out) => {
  let tag = 1;
  let bytes = 0;
  const started = performance.now();
  for (let lba = 0; lba < sectors; lba += CHUNK) {
    const n = Math.min(CHUNK, sectors - lba);
    const read10 = [0x28, 0, lba >>> 24, (lba >>> 16) & 0xff, (lba >>> 8) & 0xff, lba & 0xff];
    await device.transferOut(outEp, cbw(tag++, n * 2048, [...read10, 0, n >> 8, n & 0xff, 0]));
    const data = await device.transferIn(inEp, n * 2048);
    bytes += data.data?.byteLength ?? 0;
    const csw = await device.transferIn(inEp, 13);
    if (csw.data?.getUint8(12) !== 0) throw new Error(`READ(10) at ${lba} failed`);
  }
  out.ms = Math.round(performance.now() - started);
  out.bytes = bytes;
});
