import { expect } from '@open-wc/testing';
import { verificationFailure } from '../test/samples.ts';
import { HRESULT } from '../../contract/hresult.ts';
import { settle, settleOperation, toErrorValue } from './errors.ts';

describe('errors', () => {
  it('keeps a DOMException name and drops any stack from the message', () => {
    const e = toErrorValue(new DOMException('Access denied.', 'SecurityError'));
    expect(e).to.deep.equal({
      hresult: HRESULT.E_FAIL,
      name: 'SecurityError',
      message: 'Access denied.',
      sense: null,
    });
    const withStack = toErrorValue(new Error('boom\n    at foo (x.js:1:2)'));
    expect(withStack.message).to.equal('boom');
  });

  it('passes an ErrorValue through', () => {
    const value = { hresult: 1, name: 'E_X', message: 'm', sense: { key: 5, asc: 0x24, ascq: 0 } };
    expect(toErrorValue(value)).to.deep.equal(value);
    const busy = { ...value, problem: 'busy' as const };
    expect(toErrorValue(busy)).to.deep.equal(busy);
  });

  it('settle turns a rejection into an error Result and a missing method into E_NOTIMPL', async () => {
    const rejected = await settle(() => Promise.reject(new Error('worker died')));
    expect(rejected).to.deep.include({ ok: false });
    expect(!rejected.ok && rejected.error.message).to.equal('worker died');
    const missing = await settle(() =>
      Promise.reject(new TypeError("Cannot read properties of undefined (reading 'apply')")),
    );
    expect(!missing.ok && missing.error.name).to.equal('E_NOTIMPL');
    const good = await settle(() => Promise.resolve({ ok: true as const, value: 3 }));
    expect(good).to.deep.equal({ ok: true, value: 3 });
    const garbage = await settle(() => Promise.resolve(undefined as never));
    expect(garbage.ok).to.equal(false);
  });

  it('settleOperation keeps where a burn stopped and the disc, and nulls when nothing answered', async () => {
    const failed = await settleOperation(() =>
      Promise.resolve({ ok: false as const, error: verificationFailure }),
    );
    expect(failed).to.deep.equal({ ok: false, error: verificationFailure });

    // A worker without the method: E_NOTIMPL, and nothing is known about the disc.
    const plain = await settleOperation(() =>
      Promise.reject(new TypeError("Cannot read properties of undefined (reading 'apply')")),
    );
    expect(plain.ok).to.equal(false);
    if (!plain.ok) {
      expect(plain.error.name).to.equal('E_NOTIMPL');
      expect(plain.error.lastWrittenLba).to.equal(null);
      expect(plain.error.firstBadLba).to.equal(null);
      expect(plain.error.disc).to.equal(null);
    }

    const rejected = await settleOperation(() => Promise.reject(new Error('worker died')));
    expect(rejected).to.deep.equal({
      ok: false,
      error: {
        hresult: HRESULT.E_FAIL,
        name: 'Error',
        message: 'worker died',
        sense: null,
        lastWrittenLba: null,
        firstBadLba: null,
        disc: null,
      },
    });
    const done = await settleOperation(() => Promise.resolve({ ok: true as const, value: 7 }));
    expect(done).to.deep.equal({ ok: true, value: 7 });
  });
});
