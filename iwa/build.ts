/**
 * `npm run build:iwa`: builds the app as an Isolated Web App and signs it.
 *
 *   dist-iwa/app/                   the app's files (vite build --mode iwa)
 *   dist-iwa/webdisc-<version>.swbn the Signed Web Bundle
 *   dist-iwa/update-manifest.json   for IsolatedWebAppInstallForceList (ChromeOS policy)
 *
 * Options: --update-base-url URL (where the .swbn will be published; without
 * it the update manifest names the file relative to itself), --skip-vite
 * (sign what is already in dist-iwa/app). The key: see iwa/key.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Bundle } from 'wbn';
import {
  buildSignedWebBundle,
  parseSignedWebBundle,
  readAppFiles,
  verifySignedWebBundle,
} from './bundle.ts';
import { isolatedAppOrigin } from './bundle-id.ts';
import { KeySource, loadSigningKey, type SigningKey } from './key.ts';
import { IWA_APP_DIR, IWA_MODE, assertIwaVersion, updateManifest } from './manifest.ts';

export const IWA_OUT_DIR = dirname(IWA_APP_DIR);

/** `vite build --mode iwa` into `outDir` (dist-iwa/app unless told). */
export async function buildIwaApp(outDir: string = IWA_APP_DIR): Promise<void> {
  const { build } = await import('vite');
  await build({ mode: IWA_MODE, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

export interface IwaBuild {
  readonly webBundleId: string;
  readonly swbnPath: string;
  readonly updateManifestPath: string;
  readonly key: SigningKey;
  readonly bytes: number;
}

/** Signs the files in `appDir` and writes the .swbn and the update manifest next to it. */
export async function signIwa(options: {
  appDir?: string;
  outDir?: string;
  key?: SigningKey;
  updateBaseUrl?: string;
  version?: string;
}): Promise<IwaBuild> {
  const appDir = options.appDir ?? IWA_APP_DIR;
  const outDir = options.outDir ?? IWA_OUT_DIR;
  const key = options.key ?? loadSigningKey();
  const version = assertIwaVersion(
    options.version ??
      (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
  );
  const { webBundleId, swbn } = await buildSignedWebBundle(readAppFiles(appDir), key.privateKey);

  // Check what was written before anyone installs it: the signature verifies,
  // the ID is the key's, and wbn reads the bundle back with its start page.
  const check = verifySignedWebBundle(swbn);
  if (!check.signaturesValid || check.idOfKey !== webBundleId || check.webBundleId !== webBundleId)
    throw new Error('the signed bundle does not verify against its own key');
  const bundle = new Bundle(parseSignedWebBundle(swbn).webBundle);
  if (bundle.getResponse(isolatedAppOrigin(webBundleId)).status !== 200)
    throw new Error('the bundle has no start page');

  mkdirSync(outDir, { recursive: true });
  const name = `webdisc-${version}.swbn`;
  const swbnPath = `${outDir}/${name}`;
  writeFileSync(swbnPath, swbn);
  const src = options.updateBaseUrl ? new URL(name, options.updateBaseUrl).href : name;
  const updateManifestPath = `${outDir}/update-manifest.json`;
  writeFileSync(updateManifestPath, JSON.stringify(updateManifest(version, src), null, 2) + '\n');
  return { webBundleId, swbnPath, updateManifestPath, key, bytes: swbn.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      'skip-vite': { type: 'boolean', default: false },
      'update-base-url': { type: 'string' },
    },
  });
  const base = values['update-base-url'];
  if (base && !/^https:\/\/.+\/$/.test(base)) {
    console.error('--update-base-url must be an https:// URL ending in "/"');
    process.exit(2);
  }
  if (!values['skip-vite']) await buildIwaApp();
  const result = await signIwa(base ? { updateBaseUrl: base } : {});
  const keyFrom =
    result.key.source === KeySource.Env
      ? 'WEBDISC_IWA_KEY'
      : `${result.key.source}: ${result.key.path}`;
  console.log(`Signed Web Bundle: ${result.swbnPath} (${result.bytes} bytes)`);
  console.log(`Signed with:       ${keyFrom}`);
  console.log(`Update manifest:   ${result.updateManifestPath}`);
  console.log(`Web Bundle ID:     ${result.webBundleId}`);
  console.log(`Origin:            ${isolatedAppOrigin(result.webBundleId)}`);
  if (result.key.source === KeySource.DevExisting || result.key.source === KeySource.DevGenerated) {
    console.log(
      '\nThis is a development key (git-ignored, never commit it). A release must be signed with\n' +
        'the one release key, every time: set WEBDISC_IWA_KEY_FILE or WEBDISC_IWA_KEY.',
    );
  }
  if (base) {
    console.log('\nChromeOS policy IsolatedWebAppInstallForceList entry:');
    console.log(
      JSON.stringify(
        {
          update_manifest_url: new URL('update-manifest.json', base).href,
          web_bundle_id: result.webBundleId,
        },
        null,
        2,
      ),
    );
  }
}
