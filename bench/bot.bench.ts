/**
 * Transport figures (issue 3): the library's own codec cost per command, and
 * READ(10)/WRITE(10) throughput through BulkOnlyTransport against an in-memory
 * device that answers at once, per command size.
 */
import {
  BulkOnlyTransport,
  decodeCbw,
  decodeCsw,
  decodeSense,
  encodeCbw,
  encodeCsw,
  encodeFixedSense,
  Direction,
} from '../usb-mass-storage/src/index.ts';
import { MemoryBotDevice } from '../usb-mass-storage/src/testing/memory-device.ts';
import {
  encodeCapacity,
  parseCapacity,
  read10,
  write10,
} from '../usb-mass-storage/src/scsi/sbc.ts';
import { figure, memcpyMbps, target, type Figure } from './report.ts';

/**
 * The library's own cost per command: build the CDB (READ(10) with its
 * builder), wrap it in a CBW, then decode the device's CSW, a response
 * (READ CAPACITY data) and sense data, as one command with auto-sense would.
 */
function codecNsPerCommand(): number {
  const csw = encodeCsw({ tag: 5, residue: 0, status: 0 });
  const capacity = encodeCapacity({ lastLba: 2_295_103, blockLength: 2048 });
  const sense = encodeFixedSense({ key: 2, asc: 4, ascq: 8, progress: 1000 });
  const n = 200_000;
  let sink = 0;
  const run = (count: number) => {
    for (let i = 0; i < count; i++) {
      const request = read10({ lba: i & 0xffff, blocks: 16 });
      const cbw = encodeCbw({
        tag: i + 1,
        dataTransferLength: request.length,
        direction: Direction.In,
        lun: 0,
        cdb: request.cdb,
      });
      sink +=
        cbw[4]! +
        decodeCsw(csw).residue +
        parseCapacity(capacity).lastLba +
        decodeSense(sense).ascq;
    }
  };
  run(20_000); // warm-up
  const started = performance.now();
  run(n);
  const ns = ((performance.now() - started) * 1e6) / n;
  if (sink < 0) console.error(sink);
  // Keep decodeCbw reachable for the device side's cost too.
  decodeCbw(
    encodeCbw({
      tag: 1,
      dataTransferLength: 0,
      direction: Direction.None,
      lun: 0,
      cdb: new Uint8Array(6),
    }),
  );
  return ns;
}

async function throughput(kind: 'read' | 'write', commandBytes: number, totalBytes: number) {
  const device = new MemoryBotDevice({ backingBytes: 16 * 1024 * 1024, blocks: 0x7fffffff });
  const transport = await BulkOnlyTransport.connect(device);
  const blocks = commandBytes / 2048;
  const data = new Uint8Array(commandBytes).fill(0x5a);
  const commands = Math.max(8, Math.floor(totalBytes / commandBytes));
  const one = (i: number) =>
    kind === 'read'
      ? transport.execute(read10({ lba: i * blocks, blocks }))
      : transport.execute(write10({ lba: i * blocks, data }));
  for (let i = 0; i < 4; i++) await one(i); // warm-up
  const started = performance.now();
  for (let i = 0; i < commands; i++) {
    const r = await one(i);
    if (r.status !== 'good' || r.transferred !== commandBytes) throw new Error(`${kind} failed`);
  }
  const seconds = (performance.now() - started) / 1000;
  return (commands * commandBytes) / 1e6 / seconds;
}

export async function botBench(): Promise<Figure[]> {
  const figures: Figure[] = [figure('bot.codec.ns_per_command', codecNsPerCommand(), 'ns')];
  const sizes = [
    ['64k', 64 * 1024],
    ['1m', 1024 * 1024],
    ['8m', 8 * 1024 * 1024],
  ] as const;
  const total = 256 * 1024 * 1024;
  for (const kind of ['read', 'write'] as const) {
    for (const [label, size] of sizes) {
      const mbps = await throughput(kind, size, total);
      const reference = {
        name: `memcpy.mbps.${label}`,
        value: Math.round(memcpyMbps(size, total)),
        unit: 'MB/s',
      };
      figures.push(
        figure(`bot.${kind}.mbps.${label}`, mbps, 'MB/s', {
          reference,
          ...(label === '1m' ? { target: target('>=', 400, mbps) } : {}),
        }),
      );
    }
  }
  return figures;
}
