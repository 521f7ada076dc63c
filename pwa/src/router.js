// A small history router over the route table (routes.js): deep links /z/<token>, /p/<token>,
// /d/<token>, /hazards/<id> included.
import { useEffect, useState } from 'preact/hooks';
import { findRoute } from './routes.js';

/** { name, params, query } for a path and search string, or the home screen for unknown paths. */
export function match(pathname, search = '') {
  const found = findRoute(pathname);
  return found ? { ...found, query: Object.fromEntries(new URLSearchParams(search)) } : { name: 'home', params: {}, query: {} };
}

export function navigate(path, { replace = false } = {}) {
  history[replace ? 'replaceState' : 'pushState']({}, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  scrollTo(0, 0);
}

export function useRoute() {
  const read = () => match(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** Links go through the router; a modified click (new tab) is left to the browser. */
export function onLinkClick(event) {
  const link = event.target.closest?.('a[href^="/"]');
  if (!link || link.target || link.hasAttribute('download') || event.metaKey || event.ctrlKey) return;
  if (link.dataset.external !== undefined) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
}
