import { expect } from '@open-wc/testing';
import {
  SERVICE_WORKER_SCRIPT,
  allowServiceWorkerScript,
  createScriptUrlPolicy,
  type TrustedTypesFactory,
} from './trusted-types.ts';

type Rules = Parameters<TrustedTypesFactory['createPolicy']>[1];

/** Records the policies made, and hands back their rules so the test can call them. */
function fakeFactory() {
  const made: { name: string; rules: Rules }[] = [];
  const factory: TrustedTypesFactory = {
    createPolicy(name, rules) {
      made.push({ name, rules });
      return { createScriptURL: (input: string) => rules.createScriptURL(input) };
    },
  };
  return { factory, made };
}

const here = (path: string) => new URL(path, document.baseURI).href;

describe('Trusted Types policies', () => {
  it('the webdisc policy admits exactly the listed scripts, resolved against the page', () => {
    const { factory, made } = fakeFactory();
    const policy = createScriptUrlPolicy(
      'webdisc',
      ['/assets/main-x.js', '/assets/vh-y.js'],
      factory,
    );
    expect(made.map((m) => m.name)).to.deep.equal(['webdisc']);
    expect(policy!.createScriptURL('/assets/main-x.js')).to.equal(here('/assets/main-x.js'));
    expect(policy!.createScriptURL(here('/assets/vh-y.js'))).to.equal(here('/assets/vh-y.js'));
    expect(() => policy!.createScriptURL('/assets/other.js')).to.throw(TypeError, /not a script/);
    expect(() => policy!.createScriptURL('https://example.com/assets/main-x.js')).to.throw(
      TypeError,
    );
    expect(() => policy!.createScriptURL('data:text/javascript,1')).to.throw(TypeError);
  });

  it('makes TrustedScriptURLs with the browser’s own Trusted Types', () => {
    const policy = createScriptUrlPolicy('webdisc-test', ['/a.js']);
    const trusted = policy!.createScriptURL('/a.js');
    expect(Object.prototype.toString.call(trusted)).to.equal('[object TrustedScriptURL]');
    expect(String(trusted)).to.equal(here('/a.js'));
    expect(() => policy!.createScriptURL('/b.js')).to.throw(TypeError);
  });

  it('is not needed where there are no Trusted Types', () => {
    expect(createScriptUrlPolicy('webdisc', ['/a.js'], null)).to.equal(null);
    expect(allowServiceWorkerScript(SERVICE_WORKER_SCRIPT, null)).to.equal(null);
  });

  it('the default policy lets only the service worker script through, only to register()', () => {
    const { factory, made } = fakeFactory();
    allowServiceWorkerScript('/sw.js', factory);
    expect(made.map((m) => m.name)).to.deep.equal(['default']);
    const rule = made[0]!.rules.createScriptURL;
    expect(rule('/sw.js', 'TrustedScriptURL', 'ServiceWorkerContainer register')).to.equal(
      here('/sw.js'),
    );
    expect(rule('/evil.js', 'TrustedScriptURL', 'ServiceWorkerContainer register')).to.equal(null);
    expect(rule('/sw.js', 'TrustedScriptURL', 'Worker constructor')).to.equal(null);
    expect(rule('/sw.js', 'TrustedScriptURL', 'HTMLScriptElement src')).to.equal(null);
    // No createHTML and no createScript: strings for those sinks still fail.
    expect(Object.keys(made[0]!.rules)).to.deep.equal(['createScriptURL']);
  });
});
