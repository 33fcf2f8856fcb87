/**
 * `npm run bench`: one JSON object per line, {"name", "value", "unit", ...}.
 * Each later capability adds its section here. `npm run bench -- bot` runs
 * the sections whose name starts with an argument.
 */
import { botBench } from './bot.bench.ts';
import { burnBench } from './burn.bench.ts';
import { devicesBench } from './devices.bench.ts';
import type { Figure } from './report.ts';

const sections: Record<string, () => Promise<Figure[]>> = {
  bot: botBench,
  burn: burnBench,
  devices: devicesBench,
};
/** Sections that boot QEMU guests for minutes: only when named (`npm run bench -- devices`). */
const onlyWhenNamed = new Set(['devices']);

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(sections)) {
  if (only.length ? !only.some((o) => name.startsWith(o)) : onlyWhenNamed.has(name)) continue;
  for (const f of await run()) console.log(JSON.stringify(f));
}
