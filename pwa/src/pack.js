// The offline pack (离线数据, DESIGN §6): one answer from GET /offline-pack with what the phone
// needs with no signal — the zones and posts it may scan (sign tokens and codes), own open tasks
// and Party days — kept per signed-in user. Pure logic: the store and the fetcher are parameters,
// so `node --test` runs it with a Map (sync.js wires it to IndexedDB and the API).
//
// Entry: { userId, etag, pack, checkedAt (the server last confirmed it: a 200 or a 304) }

export const REFRESH_EVERY_MS = 4 * 3600_000;
// Asked for by the user, at start and at sign-in: always (when online); else only once stale.
const ALWAYS = new Set(['start', 'sign-in', 'manual']);

/** Whether an entry is the user's and confirmed by the server less than REFRESH_EVERY_MS ago (a
 * clock set back makes it stale too: its age cannot be trusted). */
export function isFresh(entry, userId, now) {
  if (!entry || entry.userId !== userId) return false;
  const age = now - entry.checkedAt;
  return age >= 0 && age < REFRESH_EVERY_MS;
}

/** The refresh rule: ask the server now? Never offline or signed out; always at start, after
 * sign-in and on the user's tap; on a timer, on coming back online or on returning to the app
 * only when the pack is stale or belongs to someone else. */
export function shouldRefresh({ entry, userId, online, now, reason }) {
  if (!online || userId == null) return false;
  return ALWAYS.has(reason) || !isFresh(entry, userId, now);
}

/** The pack of the signed-in user from a stored entry, or null (another user's is ignored). */
export function packOf(entry, userId) {
  return entry && entry.userId === userId && entry.pack ? entry.pack : null;
}

// Lookups ------------------------------------------------------------------------------------

const sameId = (a, b) => String(a) === String(b);

export function zoneByToken(pack, token) {
  return pack?.zones.find((zone) => zone.qr_token === token) || null;
}

export function postByToken(pack, token) {
  return pack?.posts.find((post) => post.qr_token === token) || null;
}

export function zoneById(pack, id) {
  return pack?.zones.find((zone) => sameId(zone.id, id)) || null;
}

export function postById(pack, id) {
  return pack?.posts.find((post) => sameId(post.id, id)) || null;
}

export function taskById(pack, id) {
  return pack?.tasks.find((task) => sameId(task.id, id)) || null;
}

export function partyDayById(pack, id) {
  return pack?.party_days?.find((day) => sameId(day.id, id)) || null;
}

/** The home's hazard lists from the pack's tasks, as `/hazards?…` would answer them ({ items }),
 * for the filters the pack can answer (status, assignee=me); null for any other filter (my
 * reports, overdue, supervised…: the pack holds only the user's own tasks, so an empty list
 * there would be a false "none"). */
export function tasksFor(pack, params, userId, limit = 5) {
  if (!pack) return null;
  const { status, assignee, ...rest } = params;
  if (Object.keys(rest).length) return null;
  const statuses = status ? [].concat(status) : null;
  const items = pack.tasks.filter(
    (task) =>
      (!statuses || statuses.includes(task.status)) &&
      (assignee !== 'me' || sameId(task.assignee?.id, userId)),
  );
  return { items: items.slice(0, limit), next_cursor: null };
}

const DAY_MS = 86_400_000;

/** Whether a zone of the pack is due for a patrol at `now`, as the server tells it: never
 * patrolled, or last patrolled longer ago than its interval. */
export function patrolDue(zone, now) {
  if (!zone.last_patrol_at) return true;
  return now - Date.parse(zone.last_patrol_at) > zone.patrol_interval_days * DAY_MS;
}

/** The zones the user heads, from the pack, as `/zones?mine=true` would answer them (a patrol due
 * told at `now`, not when the pack was made). */
export function headedZones(pack, userId, now = Date.now()) {
  if (!pack) return null;
  const items = zoneList(pack)
    .filter((zone) => sameId(zone.head?.id, userId))
    .map((zone) => ({ ...zone, patrol_due: patrolDue(zone, now) }));
  return { items, next_cursor: null };
}

/** The zone list as the zones screen shows it: by code. */
export function zoneList(pack) {
  return [...(pack?.zones || [])].sort((a, b) => a.code.localeCompare(b.code));
}

/** The code printed under a sign, typed by hand: trimmed, any case; a zone before a post (as the
 * server's /scan/code). { kind, place } or null. */
export function placeByCode(pack, code) {
  const wanted = String(code || '').trim().toUpperCase();
  if (!pack || !wanted) return null;
  const zone = pack.zones.find((z) => z.code.toUpperCase() === wanted);
  if (zone) return { kind: 'zone', place: zone };
  const post = pack.posts.find((p) => p.code.toUpperCase() === wanted);
  return post ? { kind: 'post', place: post } : null;
}

/** Where a scanned sign opens from the pack: /zones/<id> or /posts/<id>, else null. `kind` is the
 * letter of the deep link (z, p, d); a Party day's sign is never in the pack (its token is the
 * proof of presence, given to organizers only). */
export function signPath(pack, kind, token) {
  if (kind === 'z') {
    const zone = zoneByToken(pack, token);
    return zone ? `/zones/${zone.id}` : null;
  }
  if (kind === 'p') {
    const post = postByToken(pack, token);
    return post ? `/posts/${post.id}` : null;
  }
  return null;
}

/** What the pack holds, for 我的: counts of zones, posts and tasks. */
export function packCounts(pack) {
  return { zones: pack?.zones.length || 0, posts: pack?.posts.length || 0, tasks: pack?.tasks.length || 0 };
}

// Keeping it ------------------------------------------------------------------------------------

/**
 * store: { get() → entry|null, put(entry), clear() }
 * fetchPack(etag) → { status: 200, etag, body } | { status: 304 }; throws when there is no answer.
 */
export function createPackKeeper({ store, fetchPack, now = Date.now, onChange = () => {} }) {
  let running = null;

  async function refreshOnce(userId) {
    const stored = await store.get();
    const mine = stored && stored.userId === userId ? stored : null;
    const answer = await fetchPack(mine?.etag || null);
    const entry =
      answer.status === 304 && mine
        ? { ...mine, checkedAt: now() }
        : { userId, etag: answer.etag || null, pack: answer.body, checkedAt: now() };
    await store.put(entry);
    onChange(entry);
    return entry;
  }

  /** Ask the server (with the ETag of the user's pack, if any); one request at a time. */
  function refresh(userId) {
    running ||= refreshOnce(userId).finally(() => {
      running = null;
    });
    return running;
  }

  /** The stored entry of this user, or null. */
  async function load(userId) {
    const stored = await store.get();
    return stored && stored.userId === userId ? stored : null;
  }

  async function clear() {
    await store.clear();
    onChange(null);
  }

  return { refresh, load, clear };
}
