// Loading server data for a screen: fresh when online; offline, the last saved copy, else what
// the offline pack knows; asked again, quietly, when something the phone sent changed the data.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { NetworkError, get, request } from '../api.js';
import { cacheGet, cachePut } from '../db.js';
import { packOf } from '../pack.js';
import { getState, useStore } from '../store.js';
import { html } from './html.js';
import { ErrorNote, Loading } from './kit.js';

/** The signed-in user's offline pack (pack.js), or null. */
export function offlinePack() {
  const { pack, user } = getState();
  return packOf(pack, user?.id);
}

/** { data, error, loading, stale, fromPack, reload } for an API path. With no answer: the saved
 * answer (stale), else `fallback()` (what the screen can show from the offline pack, or null). */
export function useApi(path, { fallback = null } = {}) {
  const [result, setResult] = useState({ data: null, error: null, loading: Boolean(path), stale: false, fromPack: false });
  const fallbackRef = useRef(fallback);
  fallbackRef.current = fallback;
  const load = useCallback(async (how) => {
    if (!path) return;
    const quiet = how?.quiet === true; // what is shown stays until a fresh answer replaces it
    const key = `${getState().user?.id}:${path}`;
    if (!quiet) setResult((r) => ({ ...r, loading: true, error: null }));
    try {
      const answer = await request('GET', path);
      if (quiet && answer.cached) return;
      setResult({ data: answer.body, error: null, loading: false, stale: answer.cached, fromPack: false });
      if (!answer.cached) cachePut(key, answer.body);
    } catch (error) {
      if (quiet) return;
      const offline = error instanceof NetworkError;
      const cached = offline ? await cacheGet(key) : null;
      const packed = offline && !cached && fallbackRef.current ? fallbackRef.current() : null;
      const data = cached?.value ?? packed ?? null;
      setResult({ data, error: data ? null : error, loading: false, stale: Boolean(data), fromPack: Boolean(packed) });
    }
  }, [path]);
  useEffect(() => {
    load();
  }, [load]);
  useRefreshOnSend(load);
  return { ...result, reload: load };
}

/** What a screen shows until every one of its `useApi` results has data: the first error with a
 * retry of those that failed, else "loading"; null once all are in. */
export function notReady(...results) {
  if (results.every((r) => r.data)) return null;
  const failed = results.filter((r) => !r.data && r.error);
  if (!failed.length) return html`<${Loading} />`;
  return html`<${ErrorNote} error=${failed[0].error} onRetry=${() => failed.forEach((r) => r.reload())} />`;
}

/** Run `load({ quiet: true })` when something the phone sent changed the server's data. */
function useRefreshOnSend(load) {
  const dataVersion = useStore((s) => s.dataVersion);
  const shownVersion = useRef(dataVersion);
  useEffect(() => {
    if (dataVersion === shownVersion.current) return;
    shownVersion.current = dataVersion;
    load({ quiet: true });
  }, [dataVersion]);
}

/** A keyset-paginated list: items so far, and more() for the next page (endless scroll). When
 * something sent changes the data, the first page is asked again and replaces what is shown. */
export function usePages(pathFor) {
  const [state, setState] = useState({ items: [], done: false, loading: false, error: null });
  const base = pathFor(null);
  // The list on screen: its cursor and whether a page of it is on its way. A new `base` (the
  // filters changed) starts a new one, so an answer still on its way for the old list is dropped
  // and never blocks or overwrites the new one, however quickly the filters change.
  const live = useRef(null);
  const fetchPage = async (list, path, merge) => {
    if (list.busy) return;
    list.busy = true;
    try {
      const page = await get(path);
      if (list !== live.current) return;
      list.cursor = page.next_cursor;
      list.done = !page.next_cursor;
      setState((s) => ({ items: merge(s.items, page.items), done: !page.next_cursor, loading: false, error: null }));
    } finally {
      list.busy = false;
    }
  };
  const more = useCallback(async () => {
    const list = live.current;
    if (!list || list.busy || list.done) return;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      await fetchPage(list, pathFor(list.cursor), (shown, items) => [...shown, ...items]);
    } catch (error) {
      if (list === live.current) setState((s) => ({ ...s, loading: false, error }));
    }
  }, [base]);
  useEffect(() => {
    live.current = { base, cursor: null, done: false, busy: false };
    setState({ items: [], done: false, loading: true, error: null });
    more();
  }, [base]);
  useRefreshOnSend(() => {
    const list = live.current;
    // what is shown stays when this fails; the next send or visit asks again
    if (list) fetchPage(list, list.base, (shown, items) => items).catch(() => {});
  });
  return { ...state, more };
}
