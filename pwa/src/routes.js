// The app's paths: routes.json is the one route table. The router reads it, the service worker
// has it bundled in (navigations it answers with the shell), and Flask reads the same file at
// start (server/pages.py: the paths that serve the shell), so the three cannot disagree.
import ROUTES from './routes.json' with { type: 'json' };

export { ROUTES };

/** { name, params } of the route a path names, or null for a path that is not the app's. */
export function findRoute(pathname) {
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
    if (ok) return { name, params };
  }
  return null;
}

/** Where to go back after sign-in: `next` when it names one of the app's own paths on this
 * origin (path and query kept), else null — so a crafted link can never send a user elsewhere. */
export function returnPath(next, origin) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin || !findRoute(url.pathname)) return null;
  return url.pathname + url.search;
}

/** The sign-in path that comes back to `path` (the home screen needs no return). */
export function signInPath(path) {
  return path === '/' ? '/' : `/?next=${encodeURIComponent(path)}`;
}
