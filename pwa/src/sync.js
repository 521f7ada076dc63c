// Wiring: the outbox and the offline pack with IndexedDB and the API, the session, and every
// trigger of a flush and of a pack refresh.
import { ApiError, NetworkError, get, request, setCsrfToken, upload } from './api.js';
import { cacheGet, cachePut, outboxStore } from './db.js';
import { t } from './i18n/index.js';
import { createOutbox, oneAtATime, unsent } from './outbox.js';
import { createPackKeeper, shouldRefresh } from './pack.js';
import { problemText } from './problems.js';
import { navigate } from './router.js';
import { dataChanged, getState, setState, showToast } from './store.js';

const FLUSH_EVERY_MS = 15_000;
const PACK_CHECK_EVERY_MS = 10 * 60_000; // how often the refresh rule is asked while the app is open
const PREFETCHED_THUMBS = 60;

async function refreshSession() {
  const me = await get('/auth/me');
  setCsrfToken(me.csrf_token);
  return me;
}

/** A CSRF refusal means the token is stale: fetch a fresh one once and send again. */
async function withFreshToken(send) {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ApiError) || !error.isCsrf) throw error;
    await refreshSession();
    return send();
  }
}

const sender = {
  uploadPhoto(uuid, { blob, meta = {} }, onProgress) {
    return withFreshToken(() => {
      const form = new FormData();
      form.append('client_uuid', uuid);
      form.append('file', blob, `${uuid}.jpg`);
      if (meta.taken_at) form.append('taken_at', meta.taken_at);
      if (meta.lat != null && meta.lng != null) {
        form.append('lat', meta.lat);
        form.append('lng', meta.lng);
      }
      return upload('/photos', form, onProgress).then((r) => r.body);
    });
  },
  send(path, body, headers) {
    return withFreshToken(() => request('POST', path, { json: body, headers }));
  },
};

async function publishOutbox() {
  const user = getState().user;
  const items = user ? (await outboxStore.all()).filter((i) => i.userId === user.id) : [];
  setState({ outbox: items.sort((a, b) => b.createdAt - a.createdAt) });
}

/** How far each photo's upload has gone, by its UUID (0..1), while a flush runs. */
function publishProgress(uuid, fraction) {
  setState({ uploads: { ...getState().uploads, [uuid]: fraction } });
}

export const outbox = createOutbox({ store: outboxStore, sender, onChange: () => publishOutbox(), onProgress: publishProgress });

const packStore = {
  get: async () => (await cacheGet('pack'))?.value || null,
  put: (entry) => cachePut('pack', entry),
  clear: () => cachePut('pack', null),
};

async function fetchPack(etag) {
  const answer = await request('GET', '/offline-pack', { headers: etag ? { 'If-None-Match': etag } : {} });
  // A saved copy is no refresh (the service worker leaves this path alone; an older one may not).
  if (answer.cached) throw new NetworkError(t('net.unreachable'));
  return { status: answer.status, etag: answer.headers.get('ETag'), body: answer.body };
}

export const packKeeper = createPackKeeper({ store: packStore, fetchPack, onChange: (entry) => setState({ pack: entry }) });

/** Own tasks' photos into the browser's HTTP cache (kept a year), so a task opens with its
 * thumbnails offline. Best effort, one at a time, after a pack that changed. */
async function prefetchThumbnails(pack) {
  const ids = pack.tasks.flatMap((task) => task.photos.filter((p) => p.stage === 'report').map((p) => p.id));
  for (const id of ids.slice(0, PREFETCHED_THUMBS)) {
    try {
      await fetch(`/api/v1/photos/${id}/thumb.jpg`, { credentials: 'same-origin' });
    } catch {
      return; // offline again: the next refresh tries
    }
  }
}

/** Refresh the offline pack when the rule (pack.js) says so; without an answer the pack there
 * was stays. `reason`: start, sign-in, manual, timer, online or visible. */
export async function refreshPack(reason) {
  const { user, pack } = getState();
  if (!shouldRefresh({ entry: pack, userId: user?.id, online: navigator.onLine, now: Date.now(), reason })) return;
  setState({ packRefreshing: true });
  try {
    const before = pack?.etag;
    const entry = await packKeeper.refresh(user.id);
    setState({ packFailed: false });
    if (entry.etag !== before) prefetchThumbnails(entry.pack);
  } catch (error) {
    setState({ packFailed: true });
    if (error instanceof ApiError && error.status === 401) setState({ needsSignIn: true });
  } finally {
    setState({ packRefreshing: false });
  }
}

/** Sign-in state: from the server when reachable, else the last known user (offline start). */
export async function loadSession() {
  let online = false;
  try {
    const me = await refreshSession();
    await cachePut('me', me.user);
    setState({ user: me.user, ssoSession: me.sso, needsSignIn: false });
    online = true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setState({ user: null });
    } else {
      setState({ user: (await cacheGet('me'))?.value || null });
    }
  }
  const user = getState().user;
  setState({ pack: user ? await packKeeper.load(user.id) : null });
  await publishOutbox();
  if (online && user) refreshPack('start'); // every online start: in the background
  return user;
}

/** A session began: keep the user, then load their pack and outbox and send what waits. With
 * `returnTo`, that screen opens in the same tick as the user is set: one render, no home screen
 * flashing (and asking the server) in between. */
export async function signedIn(session, returnTo = null) {
  setCsrfToken(session.csrf_token);
  await cachePut('me', session.user);
  if (returnTo) navigate(returnTo, { replace: true });
  setState({ user: session.user, ssoSession: session.sso, needsSignIn: false });
  navigator.storage?.persist?.(); // ask the browser not to evict the outbox
  setState({ pack: await packKeeper.load(session.user.id) });
  await publishOutbox();
  flush();
  refreshPack('sign-in');
}

export async function signedOut() {
  await cachePut('me', null);
  setCsrfToken(null);
  navigator.serviceWorker?.controller?.postMessage({ type: 'clear-api-cache' });
  await packKeeper.clear(); // the next user of this phone has a pack of their own
  setState({ user: null, outbox: [] });
}

async function flushNow(force) {
  const user = getState().user;
  if (!user || !navigator.onLine) return;
  setState({ syncing: true });
  try {
    await refreshSession(); // a fresh CSRF token before each flush
    const outcomes = await outbox.flush(user.id, { force });
    if (outcomes.includes('auth')) setState({ needsSignIn: true });
    if (outcomes.includes('sent')) dataChanged(); // counts and lists on screen ask again
    await outbox.prune();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setState({ needsSignIn: true });
  } finally {
    setState({ syncing: false, uploads: {} });
    await publishOutbox();
  }
}

/** One flush at a time: across tabs by a Web Lock (the outbox store is shared), and in this tab a
 * request during a flush runs one more flush right after it, so a new item never waits a timer
 * (and 立即发送 pressed during a timer's flush still forces the items in backoff). */
export const flush = oneAtATime(({ force }) =>
  navigator.locks ? navigator.locks.request('sz-outbox-flush', () => flushNow(force)) : flushNow(force));

export function startSync() {
  const online = () => {
    setState({ online: navigator.onLine });
    if (navigator.onLine) flush();
    if (navigator.onLine) refreshPack('online');
  };
  addEventListener('online', online);
  addEventListener('offline', online);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    flush();
    refreshPack('visible');
  });
  setInterval(() => getState().outbox.some(unsent) && flush(), FLUSH_EVERY_MS);
  setInterval(() => refreshPack('timer'), PACK_CHECK_EVERY_MS);
  navigator.serviceWorker?.addEventListener('message', (event) => event.data?.type === 'flush' && flush());
  flush();
}

/** Queue a submission, ask for Background Sync where the browser has it, and try at once. */
export async function enqueue(entry) {
  let item;
  try {
    item = await outbox.add({ ...entry, userId: getState().user.id });
  } catch (error) {
    // Storage full (or any other refusal to keep it): say so in our words; the caller stops.
    showToast(problemText(error), 'error');
    throw error;
  }
  // getRegistration answers at once; `ready` would wait forever where no worker is active.
  navigator.serviceWorker?.getRegistration().then((registration) => registration?.sync?.register('sz-outbox')).catch(() => {});
  flush();
  return item;
}
