/**
 * The Isolated Web App's own files: its web app manifest (served from the
 * bundle at /.well-known/manifest.webmanifest) and the update manifest a
 * ChromeOS policy (IsolatedWebAppInstallForceList) points at.
 */

/** `vite build --mode iwa`: vite.config.ts builds the IWA flavour of the app. */
export const IWA_MODE = 'iwa';

/** Where `vite build --mode iwa` writes the app's files (the bundle's contents). */
export const IWA_APP_DIR = 'dist-iwa/app';

/** Where Chrome looks for an IWA's manifest: fixed by the IWA spec, not linked from the page. */
export const IWA_MANIFEST_PATH = '.well-known/manifest.webmanifest';

/**
 * What the app asks of Chrome. `usb-unrestricted` is the one that matters:
 * without it Chrome refuses the USB Mass Storage class (a protected class)
 * even to an IWA. `cross-origin-isolated` keeps the app isolated (an IWA always
 * is; the policy must allow it for the document to be so).
 */
export const IWA_PERMISSIONS_POLICY = {
  usb: ['self'],
  'usb-unrestricted': ['self'],
  'cross-origin-isolated': ['self'],
} as const;

export interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}

/** The fields the PWA's and the IWA's manifests share (vite.config.ts holds them). */
export interface AppManifestFields {
  readonly name: string;
  readonly short_name: string;
  readonly description: string;
  readonly lang: string;
  readonly theme_color: string;
  readonly background_color: string;
  readonly icons: readonly ManifestIcon[];
}

/**
 * IWA versions are one to three dot-separated integers without leading zeros
 * (Chrome's ParseIwaVersionIntoComponents); package.json's "0.1.0" is one.
 */
export function assertIwaVersion(version: string): string {
  if (!/^(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8})){0,2}$/.test(version)) {
    throw new Error(
      `"${version}" is not an IWA version (1 to 3 dot-separated integers, e.g. 0.1.0)`,
    );
  }
  return version;
}

/**
 * The IWA manifest. Icon and handler URLs are absolute paths: the manifest
 * lives under /.well-known/, and relative ones would resolve there.
 */
export function iwaManifest(app: AppManifestFields, version: string) {
  return {
    name: app.name,
    short_name: app.short_name,
    description: app.description,
    lang: app.lang,
    version: assertIwaVersion(version),
    id: '/',
    scope: '/',
    start_url: '/',
    display: 'standalone',
    theme_color: app.theme_color,
    background_color: app.background_color,
    // PNGs only: with the SVG icon listed, Chromium 156 failed the install
    // with "Error during icon downloading" (it fetched favicon.svg eight
    // times, then gave up).
    icons: app.icons
      .filter((icon) => icon.type === 'image/png')
      .map((icon) => ({ ...icon, src: new URL(icon.src, 'isolated-app://x/').pathname })),
    permissions_policy: IWA_PERMISSIONS_POLICY,
    file_handlers: [{ action: '/', accept: { 'application/x-iso9660-image': ['.iso'] } }],
  } as const;
}

/**
 * The update manifest ("versions": version → bundle URL). Chrome resolves
 * `src` against the update manifest's own URL and downloads only over https
 * (or http to localhost), so a relative file name next to it is enough.
 */
export function updateManifest(version: string, src: string) {
  return { versions: [{ version: assertIwaVersion(version), src }] } as const;
}
