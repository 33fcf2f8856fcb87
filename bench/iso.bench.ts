/**
 * Image building figures (issue 16): disc-fs's builder (walkDirectory +
 * planImage + plan.stream(), in a child process, written to /dev/null) against the references on
 * the same trees in the same run, each writing to /dev/null:
 * `xorriso -as mkisofs -J -R`, `genisoimage -J -R` and `genisoimage -J -R
 * -udf`, with the floor `find | xargs cat`, and Node's own ceiling (the same
 * files read with readSync into one reused buffer, no image).
 *
 * Ours runs with the options matching each reference: `jr` is ISO 9660 +
 * Rock Ridge + Joliet (`udf: false`, as `-J -R`), `jr_udf` adds the UDF
 * bridge (the builder's default, as `-J -R -udf`). The child writes each
 * chunk with fs.writeSync before it asks for the next, so it streams with
 * `reuseBuffers: true`; `jr_udf_fresh` is the default stream (fresh memory
 * for every chunk, for consumers that keep chunks), to show what that costs.
 *
 * Trees, made in a temporary folder and removed afterwards:
 *  - large: a few 512 MiB files of real (non-sparse) data, 2 GiB in all
 *    (WEBDISC_BENCH_ISO_LARGE_MB, default 2048);
 *  - small: 100,000 files of 1 byte to 4 KiB in folders of 1,000
 *    (WEBDISC_BENCH_ISO_SMALL_FILES, default 100000).
 * Each tool runs once untimed (which also warms the page cache), then the
 * best of WEBDISC_BENCH_ISO_RUNS (default 3) timed runs counts, taken in
 * rounds of every tool once. References are timed as whole processes (their
 * start costs milliseconds); ours is timed inside its child process from the
 * walk to the last chunk written (Node and tsx start in about 0.3 s, not
 * counted).
 *
 * Memory: the builder's peak RSS for a 1 GiB and a 4 GiB tree of the same
 * 64 sparse files (their content does not matter for memory; sparse files
 * cost no disk).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';
import { figure, memcpyMbps, target, type Figure } from './report.ts';

const MiB = 1 << 20;
const envNumber = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

interface ChildResult {
  readonly bytes: number;
  readonly files: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** `reuse`: the stream may reuse its buffers (`reuseBuffers`), as the child writes synchronously. */
function child(mode: 'build' | 'readsync', dir: string, udf = true, reuse = true): ChildResult {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./iso-child.ts', import.meta.url).pathname,
      mode,
      dir,
      udf ? '1' : '0',
      reuse ? '1' : '0',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

function present(tool: string): boolean {
  const r = spawnSync(tool, ['-version'], { stdio: 'ignore' });
  return !r.error;
}

/** Seconds for one run of a whole process, its output thrown away. */
function timeProcess(cmd: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MiB });
  const seconds = (performance.now() - started) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return seconds;
}

/**
 * Each tool's best of `runs` after one untimed run each, taken in rounds
 * (every tool once per round) so that whatever else the machine is doing
 * meanwhile weighs on all of them alike.
 */
function bestInRounds(runs: number, tools: readonly Tool[]): Map<string, number> {
  for (const t of tools) t.seconds();
  const best = new Map<string, number>(tools.map((t) => [t.key, Infinity]));
  for (let i = 0; i < runs; i++) {
    for (const t of tools) best.set(t.key, Math.min(best.get(t.key)!, t.seconds()));
  }
  return best;
}

/** A few 512 MiB files of real data (random blocks, so nothing is sparse or compressible). */
function makeLarge(dir: string, totalMb: number): { bytes: number; files: number } {
  mkdirSync(dir);
  const block = randomFillSync(new Uint8Array(16 * MiB));
  let left = totalMb * MiB;
  let files = 0;
  while (left > 0) {
    const size = Math.min(left, 512 * MiB);
    const fd = openSync(join(dir, `large-${files}.bin`), 'w');
    for (let o = 0; o < size; o += block.length) {
      block[0] = o & 0xff; // no two blocks alike
      writeSync(fd, block, 0, Math.min(block.length, size - o));
    }
    closeSync(fd);
    left -= size;
    files++;
  }
  return { bytes: totalMb * MiB, files };
}

function makeSmall(dir: string, count: number): { bytes: number; files: number } {
  mkdirSync(dir);
  const data = randomFillSync(new Uint8Array(4096));
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(sub);
    const size = 1 + ((i * 2654435761) % 4096);
    const fd = openSync(join(sub, `file-${i}.txt`), 'w');
    writeSync(fd, data, 0, size);
    closeSync(fd);
    bytes += size;
  }
  return { bytes, files: count };
}

/** Same file count, `totalMb` in all, as sparse files (truncate): no disk, no page cache. */
function makeSparse(dir: string, totalMb: number, files: number): void {
  mkdirSync(dir);
  for (let i = 0; i < files; i++) {
    const p = join(dir, `sparse-${i}.bin`);
    closeSync(openSync(p, 'w'));
    truncateSync(p, (totalMb / files) * MiB);
  }
}

/**
 * Writes the new tree back to disk before anything is timed: 2 GiB of dirty
 * pages still being written back while a tool reads them makes the figures noise.
 */
function settle(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

interface Tool {
  readonly key: string;
  /** What ran, as a person would type it. */
  readonly label: string;
  readonly seconds: () => number;
}

function treeFigures(
  tree: 'large' | 'small',
  dir: string,
  data: { bytes: number; files: number },
  runs: number,
): Figure[] {
  const tools: Tool[] = [
    {
      key: 'cat',
      label: 'find DIR -type f -print0 | xargs -0 cat > /dev/null',
      seconds: () =>
        timeProcess('sh', [
          '-c',
          'find "$1" -type f -print0 | xargs -0 cat > /dev/null',
          'sh',
          dir,
        ]),
    },
    {
      key: 'node_readsync',
      label: 'node: readSync of every file into one reused 8 MiB buffer, writeSync to /dev/null',
      seconds: () => child('readsync', dir).seconds,
    },
    {
      key: 'webdisc_jr',
      label:
        'webdisc planImage({ udf: false }) (ISO 9660 + Rock Ridge + Joliet), stream({ reuseBuffers: true })',
      seconds: () => child('build', dir, false).seconds,
    },
    {
      key: 'webdisc_jr_udf',
      label:
        'webdisc planImage() (ISO 9660 + Rock Ridge + Joliet + UDF, the default), stream({ reuseBuffers: true })',
      seconds: () => child('build', dir, true).seconds,
    },
    {
      key: 'webdisc_jr_udf_fresh',
      label:
        'webdisc planImage(), stream() (every chunk fresh memory, for consumers that keep chunks)',
      seconds: () => child('build', dir, true, false).seconds,
    },
  ];
  if (present('xorriso')) {
    const args = ['-as', 'mkisofs', '-quiet', '-J', '-R', '-o', '/dev/null', dir];
    tools.push({
      key: 'xorriso_jr',
      label: 'xorriso -as mkisofs -J -R -o /dev/null DIR',
      seconds: () => timeProcess('xorriso', args),
    });
  }
  if (present('genisoimage')) {
    tools.push(
      {
        key: 'genisoimage_jr',
        label: 'genisoimage -J -R -o /dev/null DIR',
        seconds: () => timeProcess('genisoimage', ['-quiet', '-J', '-R', '-o', '/dev/null', dir]),
      },
      {
        key: 'genisoimage_jr_udf',
        label: 'genisoimage -J -R -udf -o /dev/null DIR',
        seconds: () =>
          timeProcess('genisoimage', ['-quiet', '-J', '-R', '-udf', '-o', '/dev/null', dir]),
      },
    );
  }
  const mbps = new Map<string, number>();
  const fps = new Map<string, number>();
  for (const [key, s] of bestInRounds(runs, tools)) {
    mbps.set(key, data.bytes / 1e6 / s);
    fps.set(key, data.files / s);
  }
  const label = (key: string) => tools.find((t) => t.key === key)!.label;
  const ref = (key: string, unit: 'MB/s' | 'files/s') => ({
    name: `iso.${tree}.${key}: ${label(key)}`,
    value: Math.round((unit === 'MB/s' ? mbps : fps).get(key)!),
    unit,
  });
  const out: Figure[] = [];
  for (const t of tools) {
    const floor = t.key === 'cat';
    const reference = floor
      ? {
          name: 'memcpy of 1 MiB buffers',
          value: Math.round(memcpyMbps(MiB, 2 ** 30)),
          unit: 'MB/s',
        }
      : ref('cat', 'MB/s');
    out.push(figure(`iso.${tree}.${t.key}.mbps`, mbps.get(t.key)!, 'MB/s', { reference }));
    out.push(
      figure(
        `iso.${tree}.${t.key}.files_per_s`,
        fps.get(t.key)!,
        'files/s',
        floor ? {} : { reference: ref('cat', 'files/s') },
      ),
    );
  }
  // Ours against the faster of xorriso and genisoimage with the same namespaces.
  const goal = tree === 'large' ? 1.0 : 0.8;
  const mk = ['xorriso_jr', 'genisoimage_jr'].filter((k) => mbps.has(k));
  if (mk.length) {
    const faster = mk.reduce((a, b) => (mbps.get(a)! >= mbps.get(b)! ? a : b));
    const ratio = mbps.get('webdisc_jr')! / mbps.get(faster)!;
    out.push(
      figure(`iso.${tree}.webdisc_jr.vs_mkisofs`, ratio, 'x', {
        reference: ref(faster, 'MB/s'),
        target: target('>=', goal, ratio),
      }),
    );
  }
  if (mbps.has('genisoimage_jr_udf')) {
    const ratio = mbps.get('webdisc_jr_udf')! / mbps.get('genisoimage_jr_udf')!;
    out.push(
      figure(`iso.${tree}.webdisc_jr_udf.vs_genisoimage_udf`, ratio, 'x', {
        reference: ref('genisoimage_jr_udf', 'MB/s'),
        target: target('>=', goal, ratio),
      }),
    );
  }
  if (tree === 'large') {
    const ratio = mbps.get('webdisc_jr_udf')! / mbps.get('cat')!;
    out.push(
      figure('iso.large.webdisc_jr_udf.vs_cat', ratio, 'x', {
        reference: ref('cat', 'MB/s'),
        target: target('>=', 0.8, ratio),
      }),
    );
    const ceiling = mbps.get('node_readsync')! / mbps.get('cat')!;
    out.push(
      figure('iso.large.node_readsync.vs_cat', ceiling, 'x', { reference: ref('cat', 'MB/s') }),
    );
  }
  return out;
}

function memoryFigures(root: string): Figure[] {
  const files = 64;
  makeSparse(join(root, 'sparse-1g'), 1024, files);
  makeSparse(join(root, 'sparse-4g'), 4096, files);
  const out: Figure[] = [];
  for (const reuse of [false, true]) {
    const small = child('build', join(root, 'sparse-1g'), true, reuse).peakRssMb;
    const large = child('build', join(root, 'sparse-4g'), true, reuse).peakRssMb;
    const ratio = large / small;
    const mode = reuse ? '.reuse' : '';
    const how = reuse ? 'stream({ reuseBuffers: true })' : 'stream()';
    out.push(
      figure(`iso.peak_rss_mb${mode}`, large, 'MB', {
        reference: { name: `iso.peak_rss_mb${mode}.1gib`, value: Math.round(small), unit: 'MB' },
      }),
      figure(`iso.peak_rss_ratio${mode}`, ratio, 'x', {
        reference: {
          name: `peak RSS of the builder, ${how}: 4 GiB / 1 GiB (${files} sparse files each); value: the 1 GiB run`,
          value: Math.round(small),
          unit: 'MB',
        },
        // Flat in the data size: 4x the data may cost GC slack, never memory per byte.
        target: target('<=', 1.25, ratio),
      }),
    );
  }
  return out;
}

export async function isoBench(): Promise<Figure[]> {
  const largeMb = envNumber('WEBDISC_BENCH_ISO_LARGE_MB', 2048);
  const smallFiles = envNumber('WEBDISC_BENCH_ISO_SMALL_FILES', 100_000);
  const runs = envNumber('WEBDISC_BENCH_ISO_RUNS', 3);
  const root = mkdtempSync(join(tmpdir(), 'webdisc-bench-iso-'));
  try {
    const large = makeLarge(join(root, 'large'), largeMb);
    settle();
    const out = treeFigures('large', join(root, 'large'), large, runs);
    rmSync(join(root, 'large'), { recursive: true });
    const small = makeSmall(join(root, 'small'), smallFiles);
    settle();
    out.push(...treeFigures('small', join(root, 'small'), small, runs));
    rmSync(join(root, 'small'), { recursive: true });
    out.push(...memoryFigures(root));
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
