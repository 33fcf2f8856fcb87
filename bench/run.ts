/**
 * `npm run bench`: one JSON object per line, {"name", "value", "unit", ...}.
 * Each later capability adds its section here. `npm run bench -- bot` runs
 * the sections whose name starts with an argument.
 */
import { botBench } from './bot.bench.ts';
import { burnBench } from './burn.bench.ts';
import { devicesBench } from './devices.bench.ts';
import { isoBench } from './iso.bench.ts';
import { loadBench } from './load.bench.ts';
import { readBench } from './read.bench.ts';
import { startupBench } from './startup.bench.ts';
import type { Figure } from './report.ts';

const sections: Record<string, () => Promise<Figure[]>> = {
  bot: botBench,
  burn: burnBench,
  devices: devicesBench,
  iso: isoBench,
  load: loadBench,
  read: readBench,
  startup: startupBench,
};
/**
 * Only when named: `devices` boots QEMU guests for minutes; `iso` writes 2 GiB
 * and 100,000 files to the temporary folder and runs xorriso and genisoimage.
 */
const onlyWhenNamed = new Set(['devices', 'iso']);

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(sections)) {
  if (only.length ? !only.some((o) => name.startsWith(o)) : onlyWhenNamed.has(name)) continue;
  for (const f of await run()) console.log(JSON.stringify(f));
}
