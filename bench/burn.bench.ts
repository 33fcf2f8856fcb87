/**
 * Recording figures (issue 7), speed model off: `burn.mbps` streams a 4 GiB
 * synthetic image (generated on the fly, never held) through the service in a
 * worker thread, the Bulk-Only transport across a MessagePort, and the
 * virtual recorder (which discards what it is given); `burn.peak_rss_mb` is
 * that process's peak resident memory. Each size runs in a fresh process, and
 * the 1 GiB run is the reference that shows memory does not grow with the
 * image: the live heap after the burn is the same for both.
 */
import { execFileSync } from 'node:child_process';
import { figure, target, type Figure } from './report.ts';

interface ChildResult {
  readonly mbps: number;
  readonly reference: number;
  readonly peakRssMb: number;
  readonly baselineRssMb: number;
  readonly workerHeapMb: number;
  readonly mainHeapMb: number;
  readonly sectors: number;
}

function run(bytes: number): ChildResult {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      new URL('./burn-child.ts', import.meta.url).pathname,
      String(bytes),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

export async function burnBench(): Promise<Figure[]> {
  const GiB = 1024 * 1024 * 1024;
  const small = run(GiB);
  const large = run(4 * GiB);
  const mb = (r: ChildResult) => r.workerHeapMb + r.mainHeapMb;
  return [
    figure('burn.mbps', large.mbps, 'MB/s', {
      reference: {
        name: 'burn.source.generator.mbps',
        value: Math.round(large.reference),
        unit: 'MB/s',
      },
      // A 12x BD burn is 54 MB/s: the stack must never be what limits it.
      target: target('>=', 54, large.mbps),
    }),
    figure('burn.peak_rss_mb', large.peakRssMb, 'MB', {
      reference: { name: 'burn.peak_rss_mb.1gib', value: Math.round(small.peakRssMb), unit: 'MB' },
      // Flat in the image size: 4x the image may cost GC slack, never 4x the memory.
      target: target('<=', Math.round(small.peakRssMb * 1.5), large.peakRssMb),
    }),
    figure('burn.live_heap_mb', mb(large), 'MB', {
      reference: {
        name: 'burn.live_heap_mb.1gib',
        value: Math.round(mb(small) * 10) / 10,
        unit: 'MB',
      },
      target: target('<=', Math.ceil(mb(small) * 1.25), mb(large)),
    }),
  ];
}
