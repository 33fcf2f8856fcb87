/** The CLI's words for errors: the protocol layer states the fact, the CLI says what to do. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessProblem, type ErrorValue } from '../contract/errors.ts';
import { HRESULT } from '../contract/hresult.ts';
import { errorText } from './format.ts';

const denied = (problem?: AccessProblem): ErrorValue => ({
  hresult: HRESULT.E_ACCESS_DENIED,
  name: 'E_ACCESS_DENIED',
  message: 'Could not claim the mass-storage interface.',
  sense: null,
  ...(problem ? { problem } : {}),
});

describe('errorText', () => {
  it('prints one line for an error with no access problem', () => {
    assert.match(
      errorText(denied()),
      /^error 0x[0-9A-F]{8} E_ACCESS_DENIED: Could not claim the mass-storage interface\.$/,
    );
  });

  it('tells what to do when the kernel driver holds the drive (busy)', () => {
    const [error, advice, ...more] = errorText(denied(AccessProblem.Busy)).split('\n');
    assert.match(error!, /^error 0x[0-9A-F]{8} E_ACCESS_DENIED: Could not claim/);
    assert.match(advice!, /usb-storage/);
    assert.match(advice!, /acquire NAME force/);
    assert.match(advice!, /--force/);
    assert.match(advice!, /README/);
    assert.deepEqual(more, []);
  });

  it('says the drive refused its mass-storage interface (protected class, not expected in Node)', () => {
    const [, advice, ...more] = errorText(denied(AccessProblem.ProtectedClass)).split('\n');
    assert.match(advice!, /refused access to its mass-storage interface/);
    assert.match(advice!, /not expected/);
    assert.deepEqual(more, []);
  });

  it('keeps the advice on the same line when asked (the shell prints one line per result)', () => {
    const text = errorText(denied(AccessProblem.Busy), ' ');
    assert.ok(!text.includes('\n'));
    assert.match(text, /E_ACCESS_DENIED: .* what to do: .*usb-storage/);
  });
});
