// The service worker: precache the app shell (list made by the build), serve API GETs network
// first with a cache fallback, leave every other request alone. It never caches a POST.
/* global __PRECACHE__, __VERSION__ */
import { findRoute } from './routes.js';

const SHELL_CACHE = `shell-${__VERSION__}`;
const API_CACHE = 'api-v1';

// Straight from the server, past the browser's HTTP cache: a copy held there may be of another
// release (the shell), and a request that waits on the page's own download of the same file (the
// cache's lock on it) can hold the first install up; twice in CI a worker never took control.
self.addEventListener('install', (event) => {
  const fresh = __PRECACHE__.map((url) => new Request(url, { cache: 'reload' }));
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(fresh)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
  refreshSavedAnswers();
});

// A new release may answer more (e.g. what the caller may do at a zone): the answers saved by the
// old one are asked again now, while there is a network (the update just came over it). Best
// effort: an answer that cannot be fetched keeps its saved copy.
async function refreshSavedAnswers() {
  const cache = await caches.open(API_CACHE);
  for (const request of await cache.keys()) {
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response);
    } catch {
      return; // offline after all: keep every saved answer
    }
  }
}

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
  if (event.data?.type === 'claim') event.waitUntil(self.clients.claim());
  if (event.data?.type === 'clear-api-cache') event.waitUntil(caches.delete(API_CACHE));
});

async function networkFirst(request) {
  const cache = await caches.open(API_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (!cached) throw error;
    // Tell the page this is the last saved answer, not a fresh one (it shows "offline" then).
    const headers = new Headers(cached.headers);
    headers.set('X-SZ-Cached', '1');
    return new Response(cached.body, { status: cached.status, headers });
  }
}

async function shell() {
  const cache = await caches.open(SHELL_CACHE);
  return (await cache.match('/')) || fetch('/');
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/v1/photos/')) return; // the browser's HTTP cache keeps photos
  // The page keeps the offline pack in IndexedDB and asks with If-None-Match: a saved copy served
  // here offline would pass for a fresh answer (and keep a second copy of it).
  if (url.pathname === '/api/v1/offline-pack') return;
  // A ledger or scorecard export is a download of the record as it stands: never a saved copy.
  if (/\/export\.(csv|xlsx)$/.test(url.pathname)) return;
  // Single sign-on is a round trip of browser navigations through the identity platform: its
  // redirects and its cookie are the browser's own business, never a saved copy or the shell.
  if (/^\/api\/v1\/auth\/(sso|cas)\//.test(url.pathname)) return;
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(networkFirst(request));
  } else if (request.mode === 'navigate' && findRoute(url.pathname)) {
    // A path of the router: the app shell, from the cache at once (fast on a weak network); updates come as a new worker.
    event.respondWith(shell());
  } else if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// Background Sync: wake an open page to flush its outbox (the outbox logic lives in the page).
self.addEventListener('sync', (event) => {
  if (event.tag !== 'sz-outbox') return;
  event.waitUntil(
    self.clients.matchAll({ type: 'window' }).then((clients) => clients.forEach((c) => c.postMessage({ type: 'flush' }))),
  );
});
