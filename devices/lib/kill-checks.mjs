// The kill-cycle checks of devices/run.mjs on guest/kill-cycles.mjs's
// reports: after a `webdisc` process is SIGKILLed at a random point of
// holding the drive, `save`, `verify` or `read`, the next process starts at
// once, sees no stale owner, acquires and releases; the device's own eject
// then works (the tray is not left locked); nothing partial is under a final
// name; a killed `save` run again ends with the disc's image.
import { checker, expect, line } from './tap.mjs';

/** The next process must have worked this soon after the kill ("at once", plus Node's start-up under TCG). */
const NEXT_BUDGET_MS = 15_000;

const said = (r) => r && { argv: r.argv?.join(' '), code: r.code, lines: r.lines, ms: r.ms };

/** Problems of one cycle (empty when it passed). */
function cycleProblems(c, setup, host) {
  const problems = [];
  const [before, acquired, held, released, after] = c.next?.lines ?? [];
  const seen = before?.lock;
  // A dead owner's PREVENT may still be on the drive here; its owner must not be.
  if (!(seen && !seen.owner && seen.busy === false)) {
    problems.push({ what: 'a stale owner before the next acquire', state: before ?? null });
  }
  if (acquired?.ok !== true || held?.lock?.count !== 1) {
    problems.push({ what: 'the next process did not acquire', acquired, held });
  }
  if (released?.ok !== true || (after?.lock?.count ?? 0) !== 0) {
    problems.push({ what: 'the next process did not release', released, after });
  }
  if (c.next?.code !== 0) problems.push({ what: `the next process exited ${c.next?.code}` });
  if (!(c.next?.ms < NEXT_BUDGET_MS)) {
    problems.push({ what: `the next process took ${c.next?.ms} ms (budget ${NEXT_BUDGET_MS})` });
  }
  if (c.eject?.refused !== false) {
    problems.push({
      what: 'the tray is left locked: the eject after release was refused',
      eject: c.eject,
    });
  }
  if (c.reinsert?.error)
    problems.push({ what: 'the disc could not be put back', reinsert: c.reinsert });
  if (c.op === 'save') {
    if (c.file && c.file.sha256 !== host.sha256) {
      problems.push({ what: 'a partial or wrong image under the final name', file: c.file });
    }
    if (c.resume?.code !== 0 || c.resumed?.sha256 !== host.sha256) {
      problems.push({
        what: "`save` run again after the kill did not end with the disc's image",
        resumed: c.resumed,
        result: c.resume?.result ?? null,
        stderr: c.resume?.stderr ?? null,
      });
    }
    if (c.left?.length) problems.push({ what: 'files left beside the saved image', left: c.left });
  }
  if (c.op === 'read' && c.file && c.file.sha256 !== setup.readSha256) {
    problems.push({ what: 'a partial or wrong file under the final name', file: c.file });
  }
  return problems;
}

export function checkKills(device, boot, host) {
  const s = boot.steps;
  const check = checker(device);
  const setup = s['kill-setup'];
  check(
    'kill cycles: the reference save, verify and read work before the kills',
    [setup?.first],
    () =>
      expect(
        setup?.first?.code === 0 &&
          setup.referenceSha256 === host.sha256 &&
          setup.verify?.code === 0 &&
          setup.read?.code === 0 &&
          setup.hold?.code === 0,
        "save, verify, read and a shell's acquire/release exit 0; the save has the disc's SHA-256",
        {
          setup: setup && {
            referenceSha256: setup.referenceSha256,
            first: said(setup.first),
            verify: said(setup.verify),
            read: said(setup.read),
            hold: said(setup.hold),
          },
        },
      ),
  );
  if (!setup) return;
  const cycles = Object.values(s)
    .filter((r) => /^kill-cycle-\d+$/.test(r.step))
    .sort((a, b) => a.cycle - b.cycle);
  const figures = {
    device,
    cycles: cycles.length,
    killed: 0,
    finishedBeforeKill: 0,
    byOp: {},
    nextMsMax: 0,
    failed: [],
  };
  for (const c of cycles) {
    figures.byOp[c.op] = (figures.byOp[c.op] ?? 0) + 1;
    if (c.killed?.signal === 'SIGKILL') figures.killed++;
    else figures.finishedBeforeKill++;
    figures.nextMsMax = Math.max(figures.nextMsMax, c.next?.ms ?? 0);
    const problems = cycleProblems(c, setup, host);
    if (problems.length)
      figures.failed.push({ cycle: c.cycle, op: c.op, killAfterMs: c.killAfterMs, problems });
  }
  check(
    `${setup.cycles} kill cycles (seed ${setup.seed}): no stale owner, the next process acquires at once, the tray unlocked after its release, nothing partial under a final name, a killed save ends whole when run again`,
    figures.failed.length
      ? cycles
          .filter((c) => figures.failed.some((f) => f.cycle === c.cycle))
          .flatMap((c) => [c.killed, c.next, c.resume])
      : [],
    () =>
      expect(
        cycles.length === setup.cycles && figures.failed.length === 0,
        `${setup.cycles} cycles, every one clean`,
        { ran: cycles.length, failed: figures.failed },
        'replay: node devices/run.mjs --device DEVICE --kill-cycles N --seed SEED',
      ),
  );
  const { failed, ...shown } = figures;
  line(`# kill cycles: ${JSON.stringify({ ...shown, failedCycles: failed.map((f) => f.cycle) })}`);
  return figures;
}
