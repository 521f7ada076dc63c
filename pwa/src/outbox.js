// The outbox: everything a user submits is kept here until the server has acknowledged it.
// Pure logic: the store and the sender are parameters, so `node --test` runs it with a Map.
//
// Item: { id (the record's client UUID), userId, kind, createdAt, state, error, attempts,
//         nextAttemptAt, photos: [{ uuid, blobId, group, serverId }], request: { path, body },
//         headers, hazardId, sentAt, hazard: { id, number } of the server's answer once sent,
//         fence: { distance_m, within_geofence } of a check-in's answer once sent }
// States: waiting → sending → sent | failed (a 4xx retrying cannot fix) | waiting (retry later).
import { problemText } from './problems.js';

export const RETRYABLE = (status) => status === 429 || status >= 500;
const PERMANENT = new Set([400, 403, 404, 409, 413, 415, 422]);
const BASE_DELAY_MS = 2_000;
const MAX_DELAY_MS = 5 * 60_000;
const SENT_KEPT_MS = 24 * 3600_000;
const SENT_KEPT = 20;

/** Not yet acknowledged by the server: waiting for its turn, or cut off while sending. */
export const unsent = (item) => item.state === 'waiting' || item.state === 'sending';

/** `run(options)` one at a time: asked while it runs, it runs once more right after, with the
 * asks merged (one `force` among them forces that run). The promise an ask gets ends when no ask
 * is left; a run that fails does not stop the next one (flushNow keeps its own errors). */
export function oneAtATime(run) {
  let running = null;
  let asked = null;
  async function drain() {
    await null; // `running` is set before the first run starts
    try {
      while (asked) {
        const options = asked;
        asked = null;
        try {
          await run(options);
        } catch {
          // what failed stays in the outbox for the next ask; this one's caller has nothing to do
        }
      }
    } finally {
      running = null; // in the same turn as the last look at `asked`: no ask falls between
    }
  }
  return function ask({ force = false } = {}) {
    asked = { force: force || Boolean(asked?.force) };
    running ??= drain();
    return running;
  };
}

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

/** The hazard a sent item made or acted on, from the server's answer (a report and an action
 * both answer the hazard), else null (a check-in, a patrol). */
export function hazardOf(answerBody) {
  return answerBody?.id != null && answerBody.number ? { id: answerBody.id, number: answerBody.number } : null;
}

/** What the server measured of a check-in (its distance and whether inside the fence), else null. */
export function fenceOf(answerBody) {
  return answerBody && 'within_geofence' in answerBody
    ? { distance_m: answerBody.distance_m, within_geofence: answerBody.within_geofence }
    : null;
}

/** { sent, total } of an item's photos: the uploaded ones have their server id. */
export function photosSent(item) {
  return { sent: item.photos.filter((p) => p.serverId).length, total: item.photos.length };
}

/** Sent items that are no longer shown: older than a day, or past each user's newest 20 sent. */
export function expiredSent(items, now) {
  const sent = items.filter((i) => i.state === 'sent').sort((a, b) => b.sentAt - a.sentAt);
  const seen = new Map();
  return sent.filter((item) => {
    const rank = seen.get(item.userId) || 0;
    seen.set(item.userId, rank + 1);
    return rank >= SENT_KEPT || now - item.sentAt > SENT_KEPT_MS;
  });
}

/** `onProgress(photoUuid, fraction)` while a photo uploads (the sender calls it back). */
export function createOutbox({ store, sender, now = Date.now, random = Math.random, onChange = () => {}, onProgress = () => {} }) {
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
      const answer = await sender.uploadPhoto(photo.uuid, stored, (fraction) => onProgress(photo.uuid, fraction));
      photo.serverId = answer.id;
      await save(item); // an uploaded photo is never uploaded twice
    }
    return sender.send(item.request.path, withPhotoIds(item), item.headers);
  }

  /** Outcome of one attempt: 'sent', 'failed', 'retry' or 'auth' (sign in again, keep the item). */
  async function attempt(item) {
    item.state = 'sending';
    await save(item);
    try {
      const answer = await sendItem(item);
      item.hazard = hazardOf(answer?.body);
      item.fence = fenceOf(answer?.body);
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
      item.error = { status, message: problemText(error), errors: error.errors || null };
      await save(item);
      return 'failed';
    }
    item.attempts += 1;
    item.state = 'waiting';
    item.error = { status: status || 0, message: problemText(error) };
    item.nextAttemptAt = now() + backoff(item.attempts, error.retryAfter, random);
    await save(item);
    return 'retry';
  }

  /** Send the signed-in user's due items, oldest first; stops at a 401 so nothing is lost.
   * Flushes run one at a time (the caller's lock), so an item found 'sending' was cut off by a
   * page closed or reloaded mid-send: its answer may be lost, and it goes now, with the same key. */
  async function flush(userId, { force = false } = {}) {
    const items = (await store.all())
      .filter((i) => i.userId === userId && unsent(i))
      .filter((i) => force || i.state === 'sending' || i.nextAttemptAt <= now())
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

  /** Sent items stay visible (with their hazard's number) for a day, at most 20 per user. */
  async function prune() {
    for (const item of expiredSent(await store.all(), now())) await store.delete(item.id);
  }

  /** The user's sent items, gone from the list at their asking. */
  async function clearSent(userId) {
    for (const item of await store.all()) {
      if (item.userId === userId && item.state === 'sent') await store.delete(item.id);
    }
    onChange(null);
  }

  return { add, flush, retry, discard, prune, clearSent, list: () => store.all() };
}
