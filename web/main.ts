import './components/wd-app/wd-app.ts';
import { startWorker } from './lib/worker-client.ts';

const { api } = startWorker();
const app = document.createElement('wd-app');
app.source = api;
document.body.append(app);
