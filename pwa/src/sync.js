// Wiring: the outbox with IndexedDB and the API, the session, and every trigger of a flush.
import { ApiError, get, request, setCsrfToken } from './api.js';
import { cacheGet, cachePut, outboxStore } from './db.js';
import { createOutbox } from './outbox.js';
import { getState, setState } from './store.js';

const FLUSH_EVERY_MS = 15_000;

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
  uploadPhoto(uuid, { blob, meta = {} }) {
    return withFreshToken(() => {
      const form = new FormData();
      form.append('client_uuid', uuid);
      form.append('file', blob, `${uuid}.jpg`);
      if (meta.taken_at) form.append('taken_at', meta.taken_at);
      if (meta.lat != null && meta.lng != null) {
        form.append('lat', meta.lat);
        form.append('lng', meta.lng);
      }
      return request('POST', '/photos', { form }).then((r) => r.body);
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

export const outbox = createOutbox({ store: outboxStore, sender, onChange: () => publishOutbox() });

/** Sign-in state: from the server when reachable, else the last known user (offline start). */
export async function loadSession() {
  try {
    const me = await refreshSession();
    await cachePut('me', me.user);
    setState({ user: me.user, needsSignIn: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setState({ user: null });
    } else {
      setState({ user: (await cacheGet('me'))?.value || null });
    }
  }
  await publishOutbox();
  return getState().user;
}

export async function signedIn(session) {
  setCsrfToken(session.csrf_token);
  await cachePut('me', session.user);
  setState({ user: session.user, needsSignIn: false });
  navigator.storage?.persist?.(); // ask the browser not to evict the outbox
  await publishOutbox();
  flush();
}

export async function signedOut() {
  await cachePut('me', null);
  setCsrfToken(null);
  navigator.serviceWorker?.controller?.postMessage({ type: 'clear-api-cache' });
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
    await outbox.prune();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) setState({ needsSignIn: true });
  } finally {
    setState({ syncing: false });
    await publishOutbox();
  }
}

let running = null;
let again = false;

/** One flush at a time: across tabs by a Web Lock (the outbox store is shared), and in this tab a
 * request during a flush runs one more flush right after it, so a new item never waits a timer. */
export function flush({ force = false } = {}) {
  if (running) {
    again = true;
    return running;
  }
  const once = () => (navigator.locks ? navigator.locks.request('sz-outbox-flush', () => flushNow(force)) : flushNow(force));
  running = (async () => {
    do {
      again = false;
      await once();
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

export function startSync() {
  const online = () => {
    setState({ online: navigator.onLine });
    if (navigator.onLine) flush();
  };
  addEventListener('online', online);
  addEventListener('offline', online);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && flush());
  setInterval(() => getState().outbox.some((i) => i.state === 'waiting') && flush(), FLUSH_EVERY_MS);
  navigator.serviceWorker?.addEventListener('message', (event) => event.data?.type === 'flush' && flush());
  flush();
}

/** Queue a submission, ask for Background Sync where the browser has it, and try at once. */
export async function enqueue(entry) {
  const item = await outbox.add({ ...entry, userId: getState().user.id });
  // getRegistration answers at once; `ready` would wait forever where no worker is active.
  navigator.serviceWorker?.getRegistration().then((registration) => registration?.sync?.register('sz-outbox')).catch(() => {});
  flush();
  return item;
}
