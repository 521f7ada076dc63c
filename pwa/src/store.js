// App-wide state: the session, the network, the outbox and the update prompt, as one observable.
import { useEffect, useState } from 'preact/hooks';

const state = {
  user: null, // the signed-in user from /auth/me, or null
  ssoSession: false, // signed in through the identity platform: no password change offered
  online: globalThis.navigator ? navigator.onLine : true,
  outbox: [], // the items of the signed-in user, newest first
  syncing: false,
  needsSignIn: false, // a 401 during a flush: items are kept, the user signs in again
  pack: null, // the signed-in user's offline pack entry (pack.js): { userId, etag, pack, checkedAt }
  packRefreshing: false,
  packFailed: false, // the last refresh got no answer or an error (the pack there was is kept)
  uploads: {}, // photo UUID → how much of it went out (0..1) during a flush
  dataVersion: 0, // counts up when something sent changed the server's data (ui/data.js reloads)
  updateReady: null, // a waiting service worker
  toast: null,
};
const listeners = new Set();

export function getState() {
  return state;
}

export function setState(patch) {
  Object.assign(state, patch);
  listeners.forEach((listener) => listener(state));
}

export function subscribe(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-render when the selected part of the state changes. */
export function useStore(select) {
  const [value, setValue] = useState(() => select(state));
  useEffect(() => subscribe((next) => setValue(select(next))), []);
  return value;
}

/** Something the phone sent changed the server's data: screens that show it ask again. */
export function dataChanged() {
  setState({ dataVersion: state.dataVersion + 1 });
}

let toastTimer = null;
export function showToast(message, tone = 'info') {
  clearTimeout(toastTimer);
  setState({ toast: { message, tone } });
  toastTimer = setTimeout(() => setState({ toast: null }), 4000);
}
