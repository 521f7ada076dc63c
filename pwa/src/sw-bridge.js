// The page's side of the service worker: register it, and surface a waiting update as a prompt
// (the user taps to reload; never a reload under someone mid-report).
import { setState } from './store.js';

let updateRequested = false;

/** The user tapped "update": activate the waiting worker, then reload into the new version. */
export function applyUpdate(worker) {
  updateRequested = true;
  worker.postMessage({ type: 'skip-waiting' });
}

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) {
    document.documentElement.classList.add('no-sw'); // e.g. an iOS in-app web view: no offline start
    return;
  }
  // The first install also changes the controller (clients.claim): that must not reload the
  // page under someone typing; only an update the user asked for does.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!updateRequested) return;
    updateRequested = false;
    location.reload();
  });
  // The first activation claims the open pages, but a page whose navigation was still loading
  // then is not yet a client and stays uncontrolled for its whole life (no saved answers, seen in
  // CI under load): once a worker is active, such a page asks to be claimed.
  navigator.serviceWorker.ready.then((registration) => {
    if (!navigator.serviceWorker.controller) registration.active?.postMessage({ type: 'claim' });
  });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then((registration) => {
    const offer = (worker) => worker && navigator.serviceWorker.controller && setState({ updateReady: worker });
    offer(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker.addEventListener('statechange', () => worker.state === 'installed' && offer(worker));
    });
  });
}
