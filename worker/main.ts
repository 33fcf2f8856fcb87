/// <reference lib="webworker" />
/**
 * Dedicated-worker entry: exposes the recorder service over Comlink.
 */
import * as Comlink from 'comlink';
import { WebdiscService } from './service.ts';

Comlink.expose(new WebdiscService());
