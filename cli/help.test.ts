import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { HRESULT } from '../contract/hresult.ts';
import { GLOBAL_OPTIONS } from './args.ts';
import { main } from './cli.ts';
import { COMPLETION_SHELLS, completionScript } from './completion.ts';
import { COMMANDS, MEDIA_NAMES, USAGE, type CommandHelp } from './help.ts';

// The virtual drive keeps its disc in a folder between commands: this file's own, never the user's.
process.env.WEBDISC_VIRTUAL_DIR = mkdtempSync(join(tmpdir(), 'webdisc-help-virtual-'));

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  // A line handed over may hold several: count what a terminal shows.
  const lines = (chunks: string[]) => chunks.flatMap((c) => c.split('\n'));
  return { code, out: lines(out), err: lines(err) };
}

const table = Object.entries(COMMANDS as Record<string, CommandHelp>);
const topLevel = table.filter(([, c]) => !c.shellOnly).map(([name]) => name);

describe('usage errors: one line and where the usage is', () => {
  const cases: readonly [argv: string[], message: RegExp, help: string][] = [
    [['--virtual', 'media', 'extra'], /^usage: media \(unexpected argument "extra"\)$/, 'media'],
    [['--virtual=cd-rw', 'erase', '--fast'], /^erase: unknown option --fast$/, 'erase'],
    [
      ['--virtual', 'read', '0'],
      /^usage: read LBA COUNT FILE \(3 arguments needed, 1 given\)$/,
      'read',
    ],
    [['--virtual', 'read', '0', 'x', 'f'], /COUNT must be a whole number/, 'read'],
    [['--virtual', 'raw'], /^usage: raw HEX .*\(1 argument needed, 0 given\)$/, 'raw'],
    [['--virtual', 'lock'], /^usage: lock --name NAME \[--force\] \(--name is missing\)$/, 'lock'],
    // mkiso's own message has the usage on a second line: the one line is what was wrong.
    [['mkiso', 'docs'], /^mkiso: -o FILE is required$/, 'mkiso'],
    [
      ['--virtual', 'burn', 'x.iso', '--verify=sometimes'],
      /^--verify must be none, quick or full$/,
      'burn',
    ],
    [['--virtual', 'acquire', 'X'], /^"acquire" is a shell command/, 'acquire'],
    [['--virtual', 'frobnicate'], /^unknown command "frobnicate"$/, ''],
    [['--bogus'], /^unknown option --bogus$/, ''],
    [[], /^no command given$/, ''],
    [['help', 'frobnicate'], /^help: unknown command "frobnicate"$/, 'help'],
    [
      ['completion', 'fish'],
      /^completion: "fish" is not a shell this knows \(bash, zsh\)$/,
      'completion',
    ],
    [['completion'], /^usage: completion bash\|zsh \(1 argument needed, 0 given\)$/, 'completion'],
  ];

  for (const [argv, message, command] of cases) {
    const help = command ? `webdisc help ${command}` : 'webdisc help';
    it(`webdisc ${argv.join(' ')}`, async () => {
      const text = await run(argv);
      assert.equal(text.code, 2);
      assert.deepEqual(text.out, []);
      assert.equal(text.err.length, 2, text.err.join('\n'));
      assert.match(text.err[0]!, message);
      assert.equal(text.err[1], `see "${help}"`);

      const json = await run(['--json', ...argv]);
      assert.equal(json.code, 2);
      assert.deepEqual(json.err, []);
      assert.equal(json.out.length, 1);
      const value = JSON.parse(json.out[0]!) as Record<string, unknown>;
      assert.equal(value.ok, false);
      assert.equal(value.name, 'E_INVALIDARG');
      assert.equal(value.hresult, HRESULT.E_INVALIDARG);
      assert.match(value.message as string, message);
      assert.equal(value.help, help);
    });
  }

  it('a global option with a bad value is JSON too with --json', async () => {
    const { code, out } = await run(['--json', 'media', '--device']);
    assert.equal(code, 2);
    assert.equal((JSON.parse(out[0]!) as { message: string }).message, '--device needs an ID');
  });
});

describe('webdisc help', () => {
  it('lists every command, and the shell-only ones apart', async () => {
    const { code, out } = await run(['help']);
    assert.equal(code, 0);
    const text = out.join('\n');
    assert.equal(text, USAGE.split('\n').join('\n'));
    for (const [name, c] of table) {
      assert.match(
        text,
        new RegExp(`^  ${c.usage[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'),
        name,
      );
    }
    for (const line of text.split('\n')) assert.ok(line.length <= 80, `over 80 columns: ${line}`);
    const shellPart = text.slice(text.indexOf('in the shell only:'));
    assert.match(shellPart, /^ {2}acquire NAME \[force\]/m);
    assert.doesNotMatch(shellPart, /^ {2}burn /m);
  });

  for (const [name, c] of table) {
    it(`help ${name}: its usage, and every option it takes`, async () => {
      const { code, out } = await run(['help', name]);
      assert.equal(code, 0);
      const text = out.join('\n');
      assert.ok(
        text.startsWith(`usage: ${c.shellOnly ? '' : 'webdisc '}${c.usage[0]}`),
        text.split('\n')[0],
      );
      for (const o of c.options ?? [])
        assert.match(text, new RegExp(`^ {2}(-\\w, )?${o.flag}\\b`, 'm'));
      if (c.shellOnly) assert.match(text, /Only inside "webdisc shell"/);
      // `COMMAND --help` is the same page (not for shell-only words, which are not commands here).
      if (!c.shellOnly) assert.deepEqual((await run([name, '--help'])).out, out);
    });
  }
});

describe('the command table says what the commands take', () => {
  /**
   * Each option the help names is one the command's parser accepts: with
   * the option, the command still fails only for its number of operands
   * (none for a command that takes a list, too many for the others), a
   * check that comes after every option was parsed.
   */
  const variadic = (c: CommandHelp) => c.usage.some((u) => u.includes('...'));
  for (const [name, c] of table) {
    if (c.shellOnly || !c.options?.length) continue;
    it(`${name}: ${c.options.map((o) => o.flag).join(' ')}`, async () => {
      for (const o of c.options!) {
        const operands = variadic(c) ? [] : ['a', 'b', 'c', 'd', 'e'];
        const option = o.value === undefined ? [o.flag] : [o.flag, '1'];
        const { code, err } = await run(['--virtual', name, ...option, ...operands]);
        assert.equal(code, 2, `${name} ${o.flag}`);
        assert.match(
          err[0]!,
          /\((unexpected arguments .*|.* needed, 0 given)\)$/,
          `${name} ${o.flag}`,
        );
      }
    });
  }

  it('every command in the table is a command (not "unknown command")', async () => {
    for (const name of topLevel) {
      const { err } = await run(['--virtual', name, '--no-such-option']);
      assert.doesNotMatch(err.join('\n'), /unknown command/, name);
    }
  });
});

/** Runs bash completion for `line` (the cursor at its end) and returns the words it offers. */
function complete(script: string, words: string[]): string[] {
  const program = [
    script,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_webdisc',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '-c', program], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('webdisc completion', () => {
  it('prints a script for each shell it knows', async () => {
    assert.deepEqual(COMPLETION_SHELLS, ['bash', 'zsh']);
    for (const shell of COMPLETION_SHELLS) {
      const { code, out } = await run(['completion', shell]);
      assert.equal(code, 0);
      assert.equal(out.join('\n'), completionScript(shell)!.split('\n').join('\n'));
    }
  });

  it('bash: valid syntax, and it completes commands, options, media and operands', () => {
    const script = completionScript('bash')!;
    const check = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.deepEqual(complete(script, ['webdisc', '']), [...topLevel].sort());
    assert.deepEqual(complete(script, ['webdisc', '--virtual=dvd+r', 'bu']), ['burn']);
    assert.deepEqual(complete(script, ['webdisc', '--device', 'usb:1', 'me']), ['media']);
    assert.deepEqual(complete(script, ['webdisc', 'burn', '--ver']), ['--verify']);
    assert.deepEqual(complete(script, ['webdisc', 'mkiso', '-']).includes('-o'), true);
    assert.deepEqual(complete(script, ['webdisc', 'insert', 'dvd+']), [
      'dvd+r',
      'dvd+r-dl',
      'dvd+rw',
    ]);
    // bash splits --virtual=dvd at "=": the medium is still completed.
    assert.deepEqual(complete(script, ['webdisc', '--virtual', '=', 'bd']), ['bd-r', 'bd-re']);
    assert.deepEqual(
      complete(script, ['webdisc', '--virtual', '=', 'bd-r', 'er']),
      ['erase'],
      'the medium after "=" is not the command',
    );
    assert.deepEqual(complete(script, ['webdisc', 'burn', '--verify', '=', 'full', '--cl']), [
      '--close',
    ]);
    assert.deepEqual(complete(script, ['webdisc', 'help', 'ex']), ['extract']);
    assert.deepEqual(complete(script, ['webdisc', 'completion', '']), ['bash', 'zsh']);
    assert.deepEqual(complete(script, ['webdisc', 'ls', '--session', '']), []);
    // Every option of every command is offered after it.
    for (const [name, c] of table) {
      if (c.shellOnly) continue;
      const offered = complete(script, ['webdisc', name, '--']);
      for (const o of c.options ?? []) assert.ok(offered.includes(o.flag), `${name} ${o.flag}`);
      for (const g of Object.keys(GLOBAL_OPTIONS)) assert.ok(offered.includes(`--${g}`), g);
    }
  });

  it('zsh: valid syntax where zsh is installed; always a #compdef function naming every command', () => {
    const script = completionScript('zsh')!;
    const zsh = spawnSync('zsh', ['-n'], { input: script, encoding: 'utf8' });
    if (zsh.error) {
      // No zsh here (it is not installed for the tests): bash parses the
      // same function, [[ ]], (( )), case and for syntax, so it still
      // catches an unbalanced quote or block; zsh's own subscripts and
      // compadd it takes as words.
      assert.equal((zsh.error as NodeJS.ErrnoException).code, 'ENOENT');
      const bash = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      assert.equal(bash.status, 0, bash.stderr);
    } else {
      assert.equal(zsh.status, 0, zsh.stderr);
    }
    assert.match(script, /^#compdef webdisc\n/);
    assert.match(script, /\n {2}compdef _webdisc webdisc\n/);
    const commands = /\n {2}commands=\((.*)\)\n/.exec(script)?.[1] ?? '';
    for (const name of topLevel) assert.ok(commands.includes(`'${name}:`), name);
    const media = /\n {2}media=\((.*)\)\n/.exec(script)?.[1] ?? '';
    assert.deepEqual(
      media.split(' '),
      MEDIA_NAMES.map((m) => `'${m}'`),
    );
  });
});
