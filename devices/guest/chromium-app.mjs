// In the guest, inside the chroot of the host's root (guest/chromium.mjs),
// as `node --import tsx chromium-app.mjs REPO`: the app's real-drive path in
// Debian's Chromium. Serves the built IWA (iwa/serve.ts), writes the policy
// that grants the gadget to the app's origin, starts Chromium headless with
// IWAs and their dev mode, installs the app through the dev-mode proxy
// (CDP PWA.install, as e2e/iwa-install.test.ts does), launches it, looks for
// the gadget through navigator.usb in the page and in the recorder worker,
// then selects it in the app and takes exclusive access, and last asks the
// gadget side whether it refuses the eject. Each stage is one
// `@@webdisc-result {"step":"chromium-STAGE",...}` line on ttyS1.
import { mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';

const root = process.argv[2];
const results = openSync('/dev/ttyS1', 'w');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const started = now();
function stage(name, data) {
  const line = { step: `chromium-${name}`, atMs: Math.round(now() - started), ...data };
  writeSync(results, `@@webdisc-result ${JSON.stringify(line)}\n`);
  console.log(`# chromium: ${name} ${data.ok ? 'ok' : 'FAILED'}`);
}
const within = (ms, what, work) => {
  let timer;
  return Promise.race([
    work,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
};
const load = (rel) => import(pathToFileURL(join(root, rel)).href);

const LUN_FILE = '/sys/kernel/config/usb_gadget/webdisc/functions/mass_storage.0/lun.0/file';

async function main() {
  const { serveIwa } = await load('iwa/serve.ts');
  const { devProxyBundleId, isolatedAppOrigin } = await load('iwa/bundle-id.ts');
  const { chromiumArgs } = await load('scripts/chromium.mjs');
  const { chromium } = await import(
    pathToFileURL(join(root, 'node_modules/playwright-core/index.mjs')).href
  );

  const served = await serveIwa();
  const id = devProxyBundleId();
  const origin = isolatedAppOrigin(id);
  mkdirSync('/etc/chromium/policies/managed', { recursive: true });
  writeFileSync(
    '/etc/chromium/policies/managed/webdisc-devices.json',
    JSON.stringify({
      WebUsbAllowDevicesForUrls: [
        { devices: [{ vendor_id: 0x1d6b, product_id: 0x0104 }], urls: [origin] },
      ],
    }),
  );
  stage('serve', { ok: true, url: served.url, origin });

  let context;
  try {
    const profile = mkdtempSync('/tmp/webdisc-chromium-');
    const t = now();
    context = await within(
      600_000,
      'launching Chromium',
      chromium.launchPersistentContext(profile, {
        executablePath: '/usr/lib/chromium/chromium',
        headless: true,
        timeout: 600_000,
        args: [
          ...chromiumArgs,
          '--enable-features=IsolatedWebApps,IsolatedWebAppDevMode',
          '--enable-unsafe-extension-debugging',
        ],
      }),
    );
    stage('launch', { ok: true, ms: Math.round(now() - t), version: context.browser()?.version() });

    const cdp = await context.browser().newBrowserCDPSession();
    let t2 = now();
    await within(
      600_000,
      'PWA.install',
      cdp.send('PWA.install', { manifestId: origin, installUrlOrBundleUrl: served.url }),
    );
    stage('install', { ok: true, ms: Math.round(now() - t2) });

    t2 = now();
    const opened = context.waitForEvent('page', { timeout: 600_000 });
    await within(600_000, 'PWA.launch', cdp.send('PWA.launch', { manifestId: origin }));
    const page = await opened;
    await page.waitForLoadState('load', { timeout: 600_000 });
    await page.locator('wd-app').waitFor({ timeout: 600_000 });
    stage('app', { ok: true, ms: Math.round(now() - t2), url: page.url() });

    const inPage = await page.evaluate(`(async () => ({
      usbUnrestricted: document.featurePolicy?.allowsFeature('usb-unrestricted') ?? null,
      devices: (await navigator.usb.getDevices()).map((d) => ({
        vendorId: d.vendorId, productId: d.productId, serial: d.serialNumber })),
    }))()`);
    stage('page-usb', { ok: inPage.devices.length > 0, ...inPage });

    // What Chromium itself sees: its policies and its USB devices.
    const internals = {};
    for (const url of ['chrome://policy/', 'chrome://usb-internals/']) {
      const tab = await context.newPage();
      try {
        await tab.goto(url, { timeout: 120_000 });
        await tab.waitForTimeout(5000);
        if (url.includes('usb')) {
          await tab
            .getByText('Devices', { exact: true })
            .first()
            .click({ timeout: 10_000 })
            .catch(() => undefined);
          await tab.waitForTimeout(3000);
        }
        internals[url] = (
          await tab.evaluate(`(() => {
          const all = (n) => [n.innerText || '', ...[...(n.shadowRoot ? n.shadowRoot.children : [])].map(all),
            ...[...n.children].map(all)].join(' ');
          return all(document.body);
        })()`)
        ).replace(/\s+/g, ' ');
        const at = internals[url].search(url.includes('policy') ? /WebUsb/i : /Bus Number/);
        internals[url] =
          at < 0
            ? `nothing about ${url.includes('policy') ? 'WebUsb' : 'devices'}`
            : internals[url].slice(at, at + 600);
      } catch (error) {
        internals[url] = `could not read: ${String(error?.message ?? error).slice(0, 300)}`;
      }
      await tab.close();
    }
    stage('internals', {
      ok: true,
      policyFiles: readdirSync('/etc/chromium/policies/managed'),
      ...internals,
    });

    const worker = page.workers().find((w) => /\/assets\/main-[^/]+\.js$/.test(w.url()));
    const inWorker = worker
      ? await worker.evaluate(`(async () => (await navigator.usb.getDevices()).map((d) => ({
          vendorId: d.vendorId, productId: d.productId, serial: d.serialNumber })))()`)
      : null;
    stage('worker-usb', { ok: Boolean(inWorker?.length), devices: inWorker });

    const drive = page.locator('wd-app label[data-recorder^="usb:"] input').first();
    await drive.waitFor({ timeout: 120_000 });
    await drive.check();
    await page.getByLabel('Client name').fill('Chromium in the guest');
    await page.getByRole('button', { name: 'Acquire', exact: true }).click();
    const count = page.locator('wd-app [data-testid=lock-count]').first();
    let lockCount = null;
    for (let i = 0; i < 240 && lockCount !== '1'; i++) {
      lockCount = ((await count.textContent()) ?? '').trim();
      if (lockCount !== '1') await new Promise((r) => setTimeout(r, 500));
    }
    let eject;
    try {
      writeFileSync(LUN_FILE, '\n');
      eject = 'done (the gadget was not locked)';
      writeFileSync(LUN_FILE, '/dev/vda\n');
    } catch (error) {
      eject = `refused: ${error.code}`;
    }
    stage('acquire', { ok: lockCount === '1' && eject.startsWith('refused'), lockCount, eject });
  } catch (error) {
    stage('error', { ok: false, error: String(error?.stack ?? error).slice(0, 3000) });
  } finally {
    await context?.close().catch(() => undefined);
    await served.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    stage('error', { ok: false, error: String(error?.stack ?? error).slice(0, 3000) });
    process.exit(1);
  },
);
