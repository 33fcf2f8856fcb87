/**
 * Runs the virtual bus: `node --import tsx cli/virtual-bus/serve.ts SOCKET
 * [--media NAME] [--kernel-driver]`. Prints one JSON line when it listens,
 * then serves until SIGINT/SIGTERM. Point CLI processes at it with
 * `WEBDISC_VIRTUAL_BUS=SOCKET webdisc --device ID ...` (the ID from `list`).
 */
import { parseArgs } from 'node:util';
import { isMediaName } from '../../virtual-recorder/src/index.ts';
import { serveVirtualBus } from './server.ts';

const { values, positionals } = parseArgs({
  options: { media: { type: 'string' }, 'kernel-driver': { type: 'boolean' } },
  allowPositionals: true,
});
const path = positionals[0];
const media = values.media ?? 'cd-r';
if (!path || !isMediaName(media)) {
  process.stderr.write('usage: serve.ts SOCKET [--media NAME] [--kernel-driver]\n');
  process.exit(2);
}
const bus = await serveVirtualBus(path, {
  media,
  kernelDriver: values['kernel-driver'] ?? false,
  serial: 'BUS0001',
});
process.stdout.write(`${JSON.stringify({ listening: path, media })}\n`);
const stop = () => void bus.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
