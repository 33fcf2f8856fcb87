/**
 * Where the page runs: an ordinary page (the PWA, a tab) or an installed
 * Isolated Web App, and whether Chrome lets it claim protected USB classes.
 */

/** `document.featurePolicy` (Chromium; not in TypeScript's DOM lib). */
interface FeaturePolicyLike {
  allowsFeature(feature: string): boolean;
}

/**
 * True when this document may claim a USB Mass Storage interface: an Isolated
 * Web App whose manifest grants the `usb-unrestricted` permissions policy.
 * Everywhere else Chrome refuses the protected class with SecurityError.
 */
export function usbUnrestrictedAllowed(doc: Document | undefined = globalThis.document): boolean {
  const policy = (doc as (Document & { featurePolicy?: FeaturePolicyLike }) | undefined)
    ?.featurePolicy;
  try {
    // A browser that does not know the feature answers false (or throws, in older builds).
    return policy?.allowsFeature('usb-unrestricted') === true;
  } catch {
    return false;
  }
}

/** True inside an installed Isolated Web App (served from the bundle, never from the network). */
export function isIsolatedWebApp(where: { protocol: string } = globalThis.location): boolean {
  return where.protocol === 'isolated-app:';
}
