import { registerSW } from 'virtual:pwa-register';

export interface PwaHooks {
  /** A new version is waiting: show "Update available". */
  onNeedRefresh(): void;
  /** Everything is precached: the app works offline. */
  onOfflineReady(): void;
}

/**
 * Registers the Workbox service worker (vite-plugin-pwa, registerType
 * "prompt") and returns the function that activates a waiting version and
 * reloads. Only main.ts imports this: the virtual module exists in Vite builds.
 */
export function registerServiceWorker(hooks: PwaHooks): (reload?: boolean) => Promise<void> {
  if (!('serviceWorker' in navigator)) return () => Promise.resolve(location.reload());
  let reloading = false;
  const reload = () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  };
  const update = registerSW({
    immediate: true,
    onNeedRefresh: hooks.onNeedRefresh,
    onOfflineReady: hooks.onOfflineReady,
    onNeedReload: reload,
  });
  return async () => {
    // workbox-window reloads only when the page had a controller when it
    // registered; a first-visit tab (claimed later) must reload on its own.
    navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
    await update(true);
  };
}
