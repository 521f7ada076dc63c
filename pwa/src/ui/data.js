// Loading server data for a screen: fresh when online; offline, the last saved copy, else what
// the offline pack knows; asked again, quietly, when something the phone sent changed the data.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { NetworkError, get, request } from '../api.js';
import { cacheGet, cachePut } from '../db.js';
import { packOf } from '../pack.js';
import { getState, useStore } from '../store.js';

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
  const [state, setState] = useState({ items: [], cursor: null, done: false, loading: false, error: null });
  const busy = useRef(false);
  const base = pathFor(null);
  const more = useCallback(async (reset = false) => {
    if (busy.current) return;
    busy.current = true;
    setState((s) => ({ ...s, loading: true, error: null, ...(reset ? { items: [], cursor: null, done: false } : {}) }));
    try {
      const cursor = reset ? null : state.cursor;
      const page = await get(pathFor(cursor));
      setState((s) => ({
        items: reset ? page.items : [...s.items, ...page.items],
        cursor: page.next_cursor,
        done: !page.next_cursor,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    } finally {
      busy.current = false;
    }
  }, [base, state.cursor]);
  useEffect(() => {
    more(true);
  }, [base]);
  useRefreshOnSend(async () => {
    if (busy.current) return;
    try {
      const page = await get(base);
      setState({ items: page.items, cursor: page.next_cursor, done: !page.next_cursor, loading: false, error: null });
    } catch {
      // what is shown stays; the next send or visit asks again
    }
  });
  return { ...state, more };
}
