import './styles/page.css';
import './components/wd-app/wd-app.ts';
import { isIsolatedWebApp } from './lib/isolated-app.ts';
import { consumeLaunchQueue } from './lib/launch-queue.ts';
import { registerServiceWorker } from './lib/pwa.ts';
import { allowServiceWorkerScript } from './lib/trusted-types.ts';
import { startWorker } from './lib/worker-client.ts';

// The Isolated Web App is served from its installed signed bundle: it is
// offline by nature and updates with a new bundle, so it registers no service
// worker (the IWA build has none to register: vite.config.ts, mode "iwa").
const isolated = isIsolatedWebApp();

const { api } = startWorker();
const app = document.createElement('wd-app');
app.source = api;
app.offlineReady = isolated || !!navigator.serviceWorker?.controller;
document.body.append(app);

if (!isolated) {
  allowServiceWorkerScript();
  app.updateServiceWorker = registerServiceWorker({
    onNeedRefresh: () => (app.needRefresh = true),
    onOfflineReady: () => (app.offlineReady = true),
  });
}

consumeLaunchQueue((files) => (app.openedFiles = [...app.openedFiles, ...files]));
