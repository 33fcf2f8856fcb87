import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CLIENT_NAME_MAX, CLIENT_NAME_PATTERN, clientNameProblem } from './client-name.ts';

describe('client names (IOCTL_CDROM_EXCLUSIVE_ACCESS rules)', () => {
  it('accepts 1..63 of A-Z a-z 0-9 space . , : ; - _ and nothing else', () => {
    assert.equal(clientNameProblem('a'), null);
    assert.equal(clientNameProblem('Az09 .,:;-_'), null);
    assert.equal(clientNameProblem('x'.repeat(CLIENT_NAME_MAX)), null);
    for (const bad of ['', 'x'.repeat(64), 'a/b', 'ä', 'a\tb', 'a\nb', '"q"', 'a+b']) {
      assert.notEqual(clientNameProblem(bad), null, JSON.stringify(bad));
    }
    for (const notString of [undefined, null, 42, {}]) {
      assert.match(clientNameProblem(notString) ?? '', /Enter a client name/);
    }
  });

  it('accepts the names people type, and the input pattern agrees', () => {
    for (const name of ['a', 'webdisc', 'Burner 2: tab-1_x.y,z;', 'x'.repeat(63)]) {
      assert.equal(clientNameProblem(name), null, name);
      assert.equal(CLIENT_NAME_PATTERN.test(name), true, name);
    }
  });

  it('refuses empty, 64 characters, and anything else, saying which characters', () => {
    assert.match(clientNameProblem('') ?? '', /Enter a client name/);
    assert.match(clientNameProblem('x'.repeat(64)) ?? '', /64 characters.*at most 63/);
    for (const name of ['café', 'a/b', 'tab!', 'x\ty', 'ümlaut', '<b>', 'a+b', "o'k"]) {
      assert.match(clientNameProblem(name) ?? '', /Not allowed/, name);
      assert.equal(CLIENT_NAME_PATTERN.test(name), false, name);
    }
    assert.equal(
      clientNameProblem('a/b/c'),
      'Not allowed: “/”. Use letters A–Z, digits, spaces and . , : ; - _',
    );
  });

  it('the regular expression and the function agree on every string', () => {
    const chars = fc.constantFrom(...'aZ09 .,:;-_/\\"+ä\t#@'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 70 }),
          fc.array(chars, { maxLength: 70 }).map((a) => a.join('')),
        ),
        (name) => {
          assert.equal(clientNameProblem(name) === null, CLIENT_NAME_PATTERN.test(name));
        },
      ),
    );
  });
});
