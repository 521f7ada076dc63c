// The outbox: everything a user submits is kept here until the server has acknowledged it.
// Pure logic: the store and the sender are parameters, so `node --test` runs it with a Map.
//
// Item: { id (the record's client UUID), userId, kind, createdAt, state, error, attempts,
//         nextAttemptAt, photos: [{ uuid, blobId, group, serverId }], request: { path, body },
//         headers, hazardId }
// States: waiting → sending → sent | failed (a 4xx retrying cannot fix) | waiting (retry later).

export const RETRYABLE = (status) => status === 429 || status >= 500;
const PERMANENT = new Set([400, 403, 404, 409, 413, 415, 422]);
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;

/** Exponential backoff with jitter; the server's Retry-After wins when it is longer. */
export function backoff(attempts, retryAfterSeconds = null, random = Math.random) {
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.max(jittered, (retryAfterSeconds || 0) * 1000);
}

/** The record's body with the server ids of its uploaded photos filled in, by group. */
export function withPhotoIds(item) {
  const body = structuredClone(item.request.body);
  const ids = (group) => item.photos.filter((p) => p.group === group).map((p) => p.serverId);
  if (item.photos.some((p) => p.group === 'photo_ids')) body.photo_ids = ids('photo_ids');
  if (item.photos.some((p) => p.group === 'fix')) body.fixed_on_spot = { ...body.fixed_on_spot, photo_ids: ids('fix') };
  if (item.photos.some((p) => p.group === 'photo_id')) body.photo_id = ids('photo_id')[0];
  return body;
}

export function createOutbox({ store, sender, now = Date.now, random = Math.random, onChange = () => {} }) {
  async function save(item) {
    await store.put(item);
    onChange(item);
  }

  async function add({ id, userId, kind, path, body, photos = [], headers = {}, hazardId = null }) {
    const item = {
      id, userId, kind, hazardId, createdAt: now(), state: 'waiting', error: null, attempts: 0,
      nextAttemptAt: 0, photos: photos.map((p) => ({ ...p, serverId: null })), request: { path, body }, headers,
    };
    await save(item);
    return item;
  }

  async function sendItem(item) {
    for (const photo of item.photos) {
      if (photo.serverId) continue;
      const stored = await store.getBlob(photo.blobId);
      if (!stored) throw Object.assign(new Error('photo-missing'), { status: 422 }); // storage was cleared
      const answer = await sender.uploadPhoto(photo.uuid, stored);
      photo.serverId = answer.id;
      await save(item); // an uploaded photo is never uploaded twice
    }
    await sender.send(item.request.path, withPhotoIds(item), item.headers);
  }

  /** Outcome of one attempt: 'sent', 'failed', 'retry' or 'auth' (sign in again, keep the item). */
  async function attempt(item) {
    item.state = 'sending';
    await save(item);
    try {
      await sendItem(item);
      item.state = 'sent';
      item.error = null;
      item.sentAt = now();
      await save(item);
      await Promise.all(item.photos.map((p) => store.deleteBlob(p.blobId)));
      return 'sent';
    } catch (error) {
      return record(item, error);
    }
  }

  async function record(item, error) {
    const status = error.status;
    if (status === 401) {
      item.state = 'waiting';
      await save(item);
      return 'auth';
    }
    if (status && PERMANENT.has(status) && !RETRYABLE(status)) {
      item.state = 'failed';
      item.error = { status, message: error.message, errors: error.errors || null };
      await save(item);
      return 'failed';
    }
    item.attempts += 1;
    item.state = 'waiting';
    item.error = status ? { status, message: error.message } : { status: 0, message: error.message };
    item.nextAttemptAt = now() + backoff(item.attempts, error.retryAfter, random);
    await save(item);
    return 'retry';
  }

  /** Send the signed-in user's due items, oldest first; stops at a 401 so nothing is lost. */
  async function flush(userId, { force = false } = {}) {
    const items = (await store.all())
      .filter((i) => i.userId === userId && (i.state === 'waiting' || i.state === 'sending'))
      .filter((i) => force || i.nextAttemptAt <= now())
      .sort((a, b) => a.createdAt - b.createdAt);
    const outcomes = [];
    for (const item of items) {
      const outcome = await attempt(item);
      outcomes.push(outcome);
      if (outcome === 'auth') break;
    }
    return outcomes;
  }

  async function retry(id) {
    const item = await store.get(id);
    if (!item) return;
    Object.assign(item, { state: 'waiting', error: null, nextAttemptAt: 0 });
    await save(item);
  }

  async function discard(id) {
    const item = await store.get(id);
    if (!item) return;
    await Promise.all(item.photos.map((p) => store.deleteBlob(p.blobId)));
    await store.delete(id);
    onChange(null);
  }

  /** Sent items stay visible for a day so the user sees them go through, then disappear. */
  async function prune(maxAgeMs = 24 * 3600_000) {
    for (const item of await store.all()) {
      if (item.state === 'sent' && now() - item.sentAt > maxAgeMs) await store.delete(item.id);
    }
  }

  return { add, flush, retry, discard, prune, list: () => store.all() };
}
