/**
 * `npm run bench`: one JSON object per line, {"name", "value", "unit", ...}.
 * Each later capability adds its section here. `npm run bench -- bot` runs
 * the sections whose name starts with an argument.
 */
import { botBench } from './bot.bench.ts';
import { burnBench } from './burn.bench.ts';
import type { Figure } from './report.ts';

const sections: Record<string, () => Promise<Figure[]>> = {
  bot: botBench,
  burn: burnBench,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(sections)) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  for (const f of await run()) console.log(JSON.stringify(f));
}
