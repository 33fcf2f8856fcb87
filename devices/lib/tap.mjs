// TAP output for devices/run.mjs: one test point per check, a failure with
// what was expected, what came and exactly what the CLI printed; the counts.
// Every line also goes to the `--tap FILE` copy when one is asked for.
import { appendFileSync, writeFileSync } from 'node:fs';

export const counts = { tests: 0, passed: 0, failed: 0 };
let copy = null;

/** Also write every line to FILE (started empty). */
export function copyTo(file) {
  copy = file;
  writeFileSync(file, '');
}

/** One line of output (TAP, a `#` comment or a JSON line). */
export function line(text) {
  console.log(text);
  if (copy) appendFileSync(copy, `${text}\n`);
}

function yamlText(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (text === undefined) return ' ~';
  return (
    ' |-\n' +
    text
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')
  );
}

export const clip = (text, max = 4000) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;

/**
 * One TAP test point; `problem` null for a pass, else what was expected and
 * what came. `printed`: the commands whose output a failure shows (objects
 * with argv, code, signal, stdout, stderr, as guest/driver.mjs reports them).
 */
export function report(name, problem, printed = []) {
  counts.tests++;
  if (!problem) {
    counts.passed++;
    line(`ok ${counts.tests} - ${name}`);
    return;
  }
  counts.failed++;
  line(`not ok ${counts.tests} - ${name}`);
  const lines = ['  ---'];
  lines.push(`  expected:${yamlText(problem.expected)}`);
  lines.push(`  got:${yamlText(problem.got)}`);
  if (problem.note) lines.push(`  note:${yamlText(problem.note)}`);
  for (const r of printed) {
    if (!r || !r.argv) continue;
    lines.push(`  command:${yamlText(r.argv.join(' '))}`);
    lines.push(`  exit: ${r.code}${r.signal ? ` (${r.signal})` : ''}`);
    if (r.stdout) lines.push(`  stdout:${yamlText(clip(r.stdout))}`);
    if (r.stderr) lines.push(`  stderr:${yamlText(clip(r.stderr))}`);
  }
  lines.push('  ...');
  line(lines.join('\n'));
}

/**
 * A check for one device: `fn` returns null for a pass or a problem; an
 * exception in it is a failure too.
 */
export function checker(label) {
  return (name, printed, fn) => {
    let problem;
    try {
      problem = fn() ?? null;
    } catch (error) {
      problem = { expected: 'the check to run', got: String(error?.stack ?? error) };
    }
    report(`${label}: ${name}`, problem, printed);
  };
}

/** null when `cond` holds, else the problem. */
export const expect = (cond, expected, got, note) => (cond ? null : { expected, got, note });
