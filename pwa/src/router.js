// A small history router: paths to screens, deep links /z/<token>, /p/<token>, /d/<token>, /hazards/<id>.
import { useEffect, useState } from 'preact/hooks';

export const ROUTES = [
  ['/', 'home'],
  ['/scan', 'scan'],
  ['/z/:token', 'zoneByToken'],
  ['/p/:token', 'postByToken'],
  ['/d/:token', 'partyDayByToken'],
  ['/r', 'receiptLookup'],
  ['/r/:code', 'receipt'],
  ['/party-days', 'partyDays'],
  ['/party-days/new', 'planPartyDay'],
  ['/party-days/:id', 'partyDay'],
  ['/letters', 'letters'],
  ['/letters/new', 'issueLetter'],
  ['/letters/:id', 'letter'],
  ['/scorecards', 'scorecards'],
  ['/scorecards/:kind/:id', 'scoreCard'],
  ['/zones', 'zones'],
  ['/zones/:id', 'zone'],
  ['/zones/:id/report', 'report'],
  ['/zones/:id/patrol', 'patrol'],
  ['/posts/:id', 'post'],
  ['/hazards', 'list'],
  ['/hazards/:id', 'hazard'],
  ['/inbox', 'inbox'],
  ['/outbox', 'outbox'],
  ['/outbox/:id/edit', 'editReport'],
  ['/me', 'settings'],
  ['/dashboard', 'dashboard'],
  ['/admin/users', 'adminUsers'],
  ['/admin/signs', 'adminSigns'],
  ['/admin/places', 'adminPlaces'],
];

/** { name, params, query } for a path and search string, or the home screen for unknown paths. */
export function match(pathname, search = '') {
  const parts = pathname.replace(/\/+$/, '').split('/').filter(Boolean);
  for (const [pattern, name] of ROUTES) {
    const want = pattern.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params = {};
    const ok = want.every((piece, i) => {
      if (piece.startsWith(':')) {
        params[piece.slice(1)] = decodeURIComponent(parts[i]);
        return true;
      }
      return piece === parts[i];
    });
    if (ok) return { name, params, query: Object.fromEntries(new URLSearchParams(search)) };
  }
  return { name: 'home', params: {}, query: {} };
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
