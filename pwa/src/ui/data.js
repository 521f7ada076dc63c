// Loading server data for a screen: fresh when online, the last saved copy when not.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { NetworkError, get, request } from '../api.js';
import { cacheGet, cachePut } from '../db.js';
import { getState } from '../store.js';

/** { data, error, loading, stale, reload } for an API path; offline, the cached answer (stale). */
export function useApi(path) {
  const [result, setResult] = useState({ data: null, error: null, loading: Boolean(path), stale: false });
  const load = useCallback(async () => {
    if (!path) return;
    const key = `${getState().user?.id}:${path}`;
    setResult((r) => ({ ...r, loading: true, error: null }));
    try {
      const answer = await request('GET', path);
      setResult({ data: answer.body, error: null, loading: false, stale: answer.cached });
      if (!answer.cached) cachePut(key, answer.body);
    } catch (error) {
      const cached = error instanceof NetworkError ? await cacheGet(key) : null;
      setResult({ data: cached?.value ?? null, error: cached ? null : error, loading: false, stale: Boolean(cached) });
    }
  }, [path]);
  useEffect(() => {
    load();
  }, [load]);
  return { ...result, reload: load };
}

/** A keyset-paginated list: items so far, and more() for the next page (endless scroll). */
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
  return { ...state, more };
}
