/**
 * Device figures (issue 15): the CLI's read of a whole disc against the
 * kernel's `dd` of the same drive, on QEMU's usb-bot + scsi-cd and on the
 * Linux mass-storage gadget, each in a QEMU guest. `devices/run.mjs --bench`
 * boots the guests and measures (only the throughput steps of
 * `npm run test:devices`, with their checks); this turns its throughput JSON
 * lines into figures. Minutes long and needs QEMU: runs only when named,
 * `npm run bench -- devices`.
 */
import { spawnSync } from 'node:child_process';
import { figure, target, type Figure } from './report.ts';

interface Throughput {
  readonly device: string;
  readonly ddBufferedMiBps: number | null;
  readonly ddDirectMiBps: number | null;
  readonly cliReadMiBps: number | null;
  readonly cliReadMiBpsLessFixedCost: number | null;
  readonly ratioCliToDdBuffered: number | null;
  readonly ratioCliToDdDirect: number | null;
  readonly cliSaveMiBps: number | null;
  readonly cliSaveMiBpsLessFixedCost: number | null;
  readonly ratioCliSaveToDdBuffered: number | null;
}

export async function devicesBench(): Promise<Figure[]> {
  const r = spawnSync(
    process.execPath,
    [new URL('../devices/run.mjs', import.meta.url).pathname, '--bench'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  const out = r.stdout ?? '';
  const failures = out.split('\n').filter((l) => /^not ok |^Bail out!/.test(l));
  if (r.status !== 0 || failures.length) {
    throw new Error(
      `devices/run.mjs --bench failed (exit ${r.status}):\n${failures.join('\n') || out.slice(-2000)}`,
    );
  }
  const figures: Figure[] = [];
  for (const l of out.split('\n')) {
    if (!l.startsWith('{"throughput"')) continue;
    const t = (JSON.parse(l) as { throughput: Throughput }).throughput;
    const name = (what: string) => `devices.${t.device}.${what}`;
    const mibps = (what: string, value: number | null, reference?: [string, number | null]) => {
      if (value === null) throw new Error(`${t.device}: no ${what} figure in ${l}`);
      const ref = reference?.[1];
      figures.push(
        figure(name(what), value, 'MiB/s', {
          ...(reference && typeof ref === 'number'
            ? { reference: { name: name(reference[0]), value: ref, unit: 'MiB/s' } }
            : {}),
        }),
      );
    };
    mibps('dd_buffered_mibps', t.ddBufferedMiBps);
    mibps('dd_direct_mibps', t.ddDirectMiBps);
    mibps('cli_read_mibps', t.cliReadMiBps, ['dd_buffered_mibps', t.ddBufferedMiBps]);
    mibps('cli_read_less_fixed_cost_mibps', t.cliReadMiBpsLessFixedCost, [
      'dd_buffered_mibps',
      t.ddBufferedMiBps,
    ]);
    // `save` (issue 17): the whole disc by its layout, large reads, writes overlapped, SHA-256 + MD5.
    mibps('cli_save_mibps', t.cliSaveMiBps, ['dd_buffered_mibps', t.ddBufferedMiBps]);
    mibps('cli_save_less_fixed_cost_mibps', t.cliSaveMiBpsLessFixedCost, [
      'dd_buffered_mibps',
      t.ddBufferedMiBps,
    ]);
    if (t.ratioCliSaveToDdBuffered !== null)
      figures.push(
        figure(name('ratio_cli_save_to_dd_buffered'), t.ratioCliSaveToDdBuffered, 'ratio', {
          target: target('>=', 1, t.ratioCliSaveToDdBuffered),
        }),
      );
    for (const [what, value] of [
      ['ratio_cli_to_dd_buffered', t.ratioCliToDdBuffered],
      ['ratio_cli_to_dd_direct', t.ratioCliToDdDirect],
    ] as const) {
      if (value === null) throw new Error(`${t.device}: no ${what} in ${l}`);
      figures.push(figure(name(what), value, 'ratio'));
    }
  }
  if (!figures.length) throw new Error(`devices/run.mjs --bench printed no throughput:\n${out}`);
  return figures;
}
