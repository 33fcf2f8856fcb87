/**
 * The CLI's start-up (issue 19): `webdisc --virtual media`, a whole process
 * from spawn to exit, the median of 10, against the median of 10 `node -e 0`
 * measured in the same rounds (each round runs every variant once, so the
 * machine's other work weighs on all alike).
 *
 * - `installed`: bin/webdisc.mjs and dist-cli/ alone in a folder, as
 *   `npm install -g` lays them out (no sources beside them). Targets: under
 *   300 ms, and within 2.5 times `node -e 0`.
 * - `checkout`: `node bin/webdisc.mjs` in this checkout, which first checks
 *   that the build is newer than every source (and rebuilds when not: while
 *   someone edits the sources, a run may include a build). No target.
 * - `from_sources`: WEBDISC_CLI_SOURCE=1, the TypeScript through tsx as
 *   before the build existed. No target: what the build saves.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figure, target, type Figure } from './report.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 10;
const TARGET_MS = 300;
const TARGET_RATIO = 2.5;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** One process, spawn to exit, in ms; a failure stops the bench (a fast failure is no figure). */
function timed(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  }
  return ms;
}

/** The package's files alone in `dir`, as an install lays them out. */
function installedCopy(dir: string): string {
  for (const file of ['bin/webdisc.mjs', 'dist-cli/webdisc.mjs', 'dist-cli/webdisc.mjs.map']) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  return join(dir, 'bin', 'webdisc.mjs');
}

export async function startupBench(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'webdisc-bench-startup-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, WEBDISC_VIRTUAL_DIR: join(dir, 'virtual') };
    delete env.WEBDISC_CLI_SOURCE;
    const command = ['--virtual', 'media'];
    const checkout = [join(ROOT, 'bin', 'webdisc.mjs'), ...command];
    // Untimed: builds dist-cli/ if a source changed (before it is copied), and warms the caches.
    timed(checkout, env);
    const installed = [installedCopy(join(dir, 'package')), ...command];
    timed(installed, env);
    const fromSources = { ...env, WEBDISC_CLI_SOURCE: '1' };
    timed(checkout, fromSources);

    const runs = { node: [] as number[], installed: [] as number[], checkout: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      runs.node.push(timed(['-e', '0'], env));
      runs.installed.push(timed(installed, env));
      runs.checkout.push(timed(checkout, env));
    }
    const source: number[] = [];
    for (let i = 0; i < RUNS; i++) source.push(timed(checkout, fromSources));

    const nodeMs = median(runs.node);
    const installedMs = median(runs.installed);
    const reference = { name: 'node -e 0 (median of 10)', value: Math.round(nodeMs), unit: 'ms' };
    return [
      figure('startup.webdisc_media_ms', installedMs, 'ms', {
        reference,
        target: target('<=', TARGET_MS, installedMs),
      }),
      figure('startup.webdisc_media_vs_node', installedMs / nodeMs, 'x', {
        reference,
        target: target('<=', TARGET_RATIO, installedMs / nodeMs),
      }),
      figure('startup.checkout_webdisc_media_ms', median(runs.checkout), 'ms', { reference }),
      figure('startup.webdisc_media_from_sources_ms', median(source), 'ms', { reference }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
