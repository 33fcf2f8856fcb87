/**
 * Runs one case of the bad-input table (bad-input-table.ts) through the real
 * binary and says which rule it broke (issue 20, part 6): the documented exit
 * code, one line or one JSON object for an error, no stack trace or Node
 * warning, an end within RUN_TIMEOUT_MS, and no file left behind on failure.
 */
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case, Fixtures } from './bad-input-table.ts';

const BIN = fileURLToPath(new URL('../bin/webdisc.mjs', import.meta.url));
/** A run that has not ended by now is a hang (a FIFO opened, a lock waited for). */
const RUN_TIMEOUT_MS = 20_000;

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The real binary, in `cwd`, killed after RUN_TIMEOUT_MS. */
export function runCli(
  f: Fixtures,
  args: readonly string[],
  o: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd,
      env: { ...process.env, WEBDISC_RUNTIME_DIR: f.runtime, ...o.env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Every path under `dir`, relative, with a slash after folders. */
async function snapshot(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) out.push(`${rel}/`, ...(await snapshot(dir, rel)));
    else out.push(rel);
  }
  return out;
}

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

function parse(line: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What is wrong with one error's words: raw Node or JavaScript errors are not words for people. */
function unclear(message: string): string | undefined {
  if (/\bE[A-Z]{3,}: /.test(message)) return `raw Node error text: ${message}`;
  if (/\b(Type|Reference|Range|Syntax)Error\b/.test(message)) return `raw exception: ${message}`;
  if (/undefined|\[object Object\]/.test(message)) return `unclear message: ${message}`;
  return undefined;
}

/** Runs `c`; returns every rule it broke (empty: it behaved). */
export async function checkRun(
  f: Fixtures,
  c: Case,
  o: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<string[]> {
  const at = (w: string) => w.replaceAll('@in/', `${f.inputs}/`);
  const args = [...(c.json ? ['--json'] : []), ...c.args.map(at)];
  const before = [await snapshot(o.cwd), await snapshot(f.inputs)];
  const r = await runCli(f, args, {
    ...o,
    ...(c.stdin ? { stdin: c.stdin.map(at).join('\n') + '\n' } : {}),
  });
  const after = [await snapshot(o.cwd), await snapshot(f.inputs)];
  const problems: string[] = [];
  const said = `${r.stdout}${r.stderr}`.trim().split('\n').slice(0, 3).join(' | ');
  if (r.timedOut) return [`no end within ${RUN_TIMEOUT_MS / 1000} s`];
  // A stack frame: "    at f (file:line:col)" or "    at file:line:col" (a help line may start with "at").
  if (/^\s+at .*:\d+:\d+\)?$/m.test(r.stdout + r.stderr)) problems.push(`stack trace: ${said}`);
  if (/\(node:\d+\)|\bWarning: /.test(r.stderr)) problems.push(`Node warning: ${said}`);
  if (c.expect !== 'any' && r.code !== c.expect)
    problems.push(`exit ${r.code}, documented ${c.expect}: ${said}`);
  const out = lines(r.stdout);
  const err = lines(r.stderr);
  if (c.stdin) {
    // The shell: one result line per command line, errors included, on stdout.
    if (out.length !== c.stdin.length)
      problems.push(`${out.length} lines for ${c.stdin.length} commands: ${said}`);
    if (err.length) problems.push(`stderr in the shell: ${said}`);
    for (const l of out) {
      const v = c.json ? parse(l) : undefined;
      if (c.json && v?.ok !== false) problems.push(`not a JSON failure: ${l}`);
      const why = unclear(c.json ? String(v?.message) : l);
      if (why) problems.push(why);
    }
  } else if (r.code === 2 || r.code === 1) {
    if (c.json) {
      if (err.length) problems.push(`stderr with --json: ${said}`);
      const values = out.map(parse);
      if (values.some((v) => !v)) problems.push(`not JSON: ${said}`);
      const failures = values.filter((v) => v && !('progress' in v));
      if (failures.length !== 1 || failures[0]!.ok !== false)
        problems.push(`not one JSON failure: ${said}`);
      const v = failures[0];
      if (v && (typeof v.message !== 'string' || typeof v.name !== 'string'))
        problems.push(`no name or message: ${said}`);
      if (v && r.code === 2 && (v.name !== 'E_INVALIDARG' || typeof v.help !== 'string'))
        problems.push(`a usage error without E_INVALIDARG and help: ${said}`);
      const why = v && unclear(String(v.message));
      if (why) problems.push(why);
    } else {
      if (out.length) problems.push(`stdout on failure: ${said}`);
      if (r.code === 2) {
        if (err.length !== 2 || !/^see "webdisc help( [a-z-]+)?"$/.test(err[1] ?? ''))
          problems.push(`not one usage line and its hint: ${said}`);
      } else if (err.length !== 1 || !/^error 0x[0-9A-F]{8} \w+: \S/.test(err[0] ?? '')) {
        problems.push(`not one error line: ${said}`);
      }
      const why = err[0] && unclear(err[0]);
      if (why) problems.push(why);
    }
  } else if (r.code === 0) {
    // help and completion print their text as it is, --json or not: the words are the result.
    const text = c.command === 'help' || c.command === 'completion' || c.args.includes('--help');
    if (c.json && !text && out.some((l) => !parse(l))) problems.push(`not JSON: ${said}`);
  } else {
    problems.push(`ended by exit code ${r.code}: ${said}`);
  }
  const [cwdBefore, inBefore] = before.map((s) => new Set(s));
  if (r.code !== 0) {
    const left = after[0]!.filter((p) => !cwdBefore!.has(p));
    if (left.length) problems.push(`left behind: ${left.join(', ')}`);
  }
  // A command that succeeded may write where it was told to, even among the inputs (a
  // random `read 0 1 @in/missing.iso`): that file is the result, not a leftover. It
  // is removed, so the inputs stay what every later case expects ("missing" missing).
  const told = new Set(c.args.filter((w) => w.startsWith('@in/')).map((w) => w.slice(4)));
  const touched = after[1]!.filter((p) => !inBefore!.has(p));
  const written = r.code === 0 ? touched.filter((p) => told.has(p)) : [];
  for (const p of written) await rm(join(f.inputs, p), { recursive: true, force: true });
  const left = touched.filter((p) => !written.includes(p));
  if (left.length) problems.push(`new files among the inputs: ${left.join(', ')}`);
  return problems;
}
