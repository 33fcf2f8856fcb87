import { expect } from '@open-wc/testing';
import { isIsolatedWebApp, usbUnrestrictedAllowed } from './isolated-app.ts';
import { classifyUsbError, usbProblemOf } from './usb-problems.ts';

/** A document stand-in whose featurePolicy answers `allows` for every feature asked. */
const docWith = (featurePolicy: unknown) => ({ featurePolicy }) as unknown as Document;

describe('isolated app (usb-unrestricted)', () => {
  it('an ordinary test page may not claim mass storage', () => {
    expect(usbUnrestrictedAllowed()).to.equal(false);
    expect(isIsolatedWebApp()).to.equal(false);
  });

  it('reads the usb-unrestricted feature from document.featurePolicy', () => {
    const asked: string[] = [];
    const allows = (answer: boolean) =>
      docWith({ allowsFeature: (f: string) => (asked.push(f), answer) });
    expect(usbUnrestrictedAllowed(allows(true))).to.equal(true);
    expect(usbUnrestrictedAllowed(allows(false))).to.equal(false);
    expect(asked).to.deep.equal(['usb-unrestricted', 'usb-unrestricted']);
    expect(usbUnrestrictedAllowed(docWith(undefined))).to.equal(false);
    expect(
      usbUnrestrictedAllowed(
        docWith({
          allowsFeature: () => {
            throw new TypeError('unknown feature');
          },
        }),
      ),
    ).to.equal(false);
  });

  it('knows the isolated-app: scheme', () => {
    expect(isIsolatedWebApp({ protocol: 'isolated-app:' })).to.equal(true);
    expect(isIsolatedWebApp({ protocol: 'https:' })).to.equal(false);
  });
});

describe('usb problems where mass storage is allowed', () => {
  const e = (name: string, message: string) => ({ hresult: 0, name, message, sense: null });
  const refused = e(
    'E_ACCESS_DENIED',
    'The browser refused … (a protected class for ordinary pages).',
  );

  it('explains the protected-class refusal only where Chrome really refuses it', () => {
    expect(classifyUsbError(refused, false)).to.equal('security');
    expect(classifyUsbError(e('SecurityError', 'Access denied.'), false)).to.equal('security');
    // In the Isolated Web App with usb-unrestricted the advice "install the IWA" would be wrong.
    expect(classifyUsbError(refused, true)).to.equal(null);
    expect(usbProblemOf(e('SecurityError', 'Access denied.'), true)).to.equal(null);
  });

  it('keeps other SecurityErrors as plain errors', () => {
    const gesture = e(
      'SecurityError',
      'Must be handling a user gesture to show a permission request.',
    );
    const policy = e(
      'SecurityError',
      'Access to the feature "usb" is disallowed by permissions policy.',
    );
    expect(classifyUsbError(gesture, false)).to.equal(null);
    expect(classifyUsbError(policy, false)).to.equal(null);
  });

  it("explains the OS holding the drive, as the worker's transport words it, in both", () => {
    const held = e(
      'E_ACCESS_DENIED',
      'The operating system holds this drive (its usb-storage driver is bound). Unbind it.',
    );
    expect(classifyUsbError(held, false)).to.equal('network');
    expect(usbProblemOf(held, true)).to.deep.equal({ kind: 'network', error: held });
  });
});
