import './styles/page.css';
import './components/wd-app/wd-app.ts';
import { consumeLaunchQueue } from './lib/launch-queue.ts';
import { registerServiceWorker } from './lib/pwa.ts';
import { startWorker } from './lib/worker-client.ts';

const { api } = startWorker();
const app = document.createElement('wd-app');
app.source = api;
app.offlineReady = !!navigator.serviceWorker?.controller;
document.body.append(app);

app.updateServiceWorker = registerServiceWorker({
  onNeedRefresh: () => (app.needRefresh = true),
  onOfflineReady: () => (app.offlineReady = true),
});

consumeLaunchQueue((files) => (app.openedFiles = [...app.openedFiles, ...files]));
