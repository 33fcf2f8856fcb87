/**
 * The client-name rule is written twice, because the page may not import the
 * worker at run time: once in the worker (the authority: E_INVALIDARG) and
 * once in the UI (to say what is wrong before sending). They must agree.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { clientNameProblem as uiProblem } from '../web/lib/client-name.ts';
import { CLIENT_NAME_MAX, clientNameProblem } from './client-name.ts';

describe('client names (IOCTL_CDROM_EXCLUSIVE_ACCESS rules)', () => {
  it('accepts 1..63 of A-Z a-z 0-9 space . , : ; - _ and nothing else', () => {
    assert.equal(clientNameProblem('a'), undefined);
    assert.equal(clientNameProblem('Az09 .,:;-_'), undefined);
    assert.equal(clientNameProblem('x'.repeat(CLIENT_NAME_MAX)), undefined);
    for (const bad of ['', 'x'.repeat(64), 'a/b', 'ä', 'a\tb', 'a\nb', '"q"', 'a+b']) {
      assert.notEqual(clientNameProblem(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the UI and the worker agree on every string', () => {
    const chars = fc.constantFrom(...'aZ09 .,:;-_/\\"+ä\t#@'.split(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 70 }),
          fc.array(chars, { maxLength: 70 }).map((a) => a.join('')),
        ),
        (name) => {
          assert.equal(
            clientNameProblem(name) === undefined,
            uiProblem(name) === null,
            JSON.stringify(name),
          );
        },
      ),
    );
  });
});
