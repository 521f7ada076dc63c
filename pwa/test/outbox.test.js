// The outbox with an in-memory store and a fake sender: order, photos first, replays, failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoff, createOutbox, expiredSent, fenceOf, hazardOf, oneAtATime, photosSent, unsent, withPhotoIds } from '../src/outbox.js';

function memoryStore() {
  const items = new Map();
  const blobs = new Map();
  return {
    items,
    blobs,
    all: async () => [...items.values()].map((i) => structuredClone(i)),
    get: async (id) => structuredClone(items.get(id)),
    put: async (item) => void items.set(item.id, structuredClone(item)),
    delete: async (id) => void items.delete(id),
    putBlob: async (id, blob, meta = {}) => void blobs.set(id, { id, blob, meta }),
    getBlob: async (id) => blobs.get(id),
    deleteBlob: async (id) => void blobs.delete(id),
  };
}

function fakeSender(script = {}) {
  const calls = [];
  let nextPhotoId = 100;
  return {
    calls,
    async uploadPhoto(uuid, stored, onProgress) {
      calls.push(['photo', uuid]);
      const failure = script.photo?.shift();
      if (failure) throw failure;
      onProgress(0.5);
      onProgress(1);
      return { id: nextPhotoId++ };
    },
    async send(path, body, headers) {
      calls.push(['send', path, body, headers]);
      const failure = script.send?.shift();
      if (failure) throw failure;
      return { status: 201, body: script.answer || {} };
    },
  };
}

const http = (status, message = `HTTP ${status}`, retryAfter = null) => Object.assign(new Error(message), { status, retryAfter });
const offline = () => new TypeError('Failed to fetch');

async function setup(script) {
  let clock = 1_000;
  const store = memoryStore();
  const sender = fakeSender(script);
  const progress = [];
  const outbox = createOutbox({ store, sender, now: () => clock, random: () => 0.5, onProgress: (...call) => progress.push(call) });
  const tick = (ms) => (clock += ms);
  return { store, sender, outbox, tick, progress };
}

async function addReport(outbox, store, id, photos = 2) {
  const entries = [];
  for (let i = 0; i < photos; i += 1) {
    await store.putBlob(`${id}-p${i}`, `blob${i}`);
    entries.push({ uuid: `${id}-p${i}`, blobId: `${id}-p${i}`, group: 'photo_ids' });
  }
  return outbox.add({ id, userId: 7, kind: 'hazard', path: '/hazards', body: { client_uuid: id, photo_ids: [] }, photos: entries });
}

test('photos go first, then the record with their server ids; sent items keep no blobs', async () => {
  const { store, sender, outbox } = await setup();
  await addReport(outbox, store, 'a');
  assert.deepEqual(await outbox.flush(7), ['sent']);
  assert.deepEqual(sender.calls.map((c) => c[0]), ['photo', 'photo', 'send']);
  assert.deepEqual(sender.calls[2][2].photo_ids, [100, 101]);
  assert.equal((await store.get('a')).state, 'sent');
  assert.equal(store.blobs.size, 0);
});

test('items are sent oldest first, and only the signed-in user\'s', async () => {
  const { store, sender, outbox, tick } = await setup();
  await addReport(outbox, store, 'first', 0);
  tick(10);
  await outbox.add({ id: 'other-user', userId: 8, kind: 'checkin', path: '/checkins', body: {} });
  tick(10);
  await addReport(outbox, store, 'second', 0);
  await outbox.flush(7);
  assert.deepEqual(sender.calls.map((c) => c[2].client_uuid), ['first', 'second']);
  assert.equal((await store.get('other-user')).state, 'waiting');
});

test('a network error keeps the item waiting with backoff; an uploaded photo is not sent again', async () => {
  const { store, sender, outbox, tick } = await setup({ send: [offline()] });
  await addReport(outbox, store, 'a', 1);
  assert.deepEqual(await outbox.flush(7), ['retry']);
  const item = await store.get('a');
  assert.equal(item.state, 'waiting');
  assert.equal(item.photos[0].serverId, 100);
  assert.deepEqual(await outbox.flush(7), [], 'not due yet');
  tick(backoff(1, null, () => 0.5));
  assert.deepEqual(await outbox.flush(7), ['sent']);
  assert.deepEqual(sender.calls.map((c) => c[0]), ['photo', 'send', 'send']);
});

test('429 and 5xx retry, honouring Retry-After', async () => {
  const { store, outbox } = await setup({ send: [http(503, 'busy', 30)] });
  await addReport(outbox, store, 'a', 0);
  await outbox.flush(7);
  const item = await store.get('a');
  assert.equal(item.state, 'waiting');
  assert.ok(item.nextAttemptAt - 1_000 >= 30_000);
});

for (const status of [403, 409, 422]) {
  test(`a ${status} fails the item with the server's reason, and keeps it`, async () => {
    const { store, outbox } = await setup({ send: [http(status, 'zone inactive')] });
    await addReport(outbox, store, 'a');
    assert.deepEqual(await outbox.flush(7), ['failed']);
    const item = await store.get('a');
    assert.equal(item.state, 'failed');
    assert.equal(item.error.message, 'zone inactive');
    assert.equal(store.blobs.size, 2, 'photos kept for editing');
  });
}

test('a 401 stops the flush and keeps every item waiting (never failed)', async () => {
  const { store, sender, outbox } = await setup({ send: [http(401)] });
  await addReport(outbox, store, 'a', 0);
  await addReport(outbox, store, 'b', 0);
  assert.deepEqual(await outbox.flush(7), ['auth']);
  assert.equal(sender.calls.length, 1);
  assert.deepEqual((await outbox.list()).map((i) => i.state), ['waiting', 'waiting']);
});

test('retry puts a failed item back in line; discard removes it and its photos', async () => {
  const { store, outbox } = await setup({ send: [http(422)] });
  await addReport(outbox, store, 'a');
  await outbox.flush(7);
  await outbox.retry('a');
  assert.deepEqual(await outbox.flush(7), ['sent']);
  await addReport(outbox, store, 'b');
  await outbox.discard('b');
  assert.equal(await store.get('b'), undefined);
  assert.equal(store.blobs.size, 0);
});

test('a lost acknowledgement replays with the same key, so the server keeps one record', async () => {
  const { store, sender, outbox, tick } = await setup({ send: [offline()] });
  await outbox.add({ id: 'k', userId: 7, kind: 'action', path: '/hazards/1/actions/accept', body: { version: 3 }, headers: { 'Idempotency-Key': 'k' } });
  await outbox.flush(7);
  tick(60_000);
  await outbox.flush(7);
  const sends = sender.calls.filter((c) => c[0] === 'send');
  assert.equal(sends.length, 2);
  assert.deepEqual(sends.map((c) => c[3]['Idempotency-Key']), ['k', 'k']);
});

test('sent items disappear after a day', async () => {
  const { store, outbox, tick } = await setup();
  await addReport(outbox, store, 'a', 0);
  await outbox.flush(7);
  tick(25 * 3600_000);
  await outbox.prune();
  assert.deepEqual(await outbox.list(), []);
});

test('a sent report keeps the number and id of the hazard the server answered', async () => {
  const { store, outbox } = await setup({ answer: { id: 12, number: 'YH-2026-0012', title: 't' } });
  await addReport(outbox, store, 'a', 0);
  await outbox.flush(7);
  const [item] = await outbox.list();
  assert.equal(item.state, 'sent');
  assert.deepEqual(item.hazard, { id: 12, number: 'YH-2026-0012' });
  assert.equal(hazardOf({ id: 3 }), null); // a check-in's answer names no hazard
  assert.equal(hazardOf(null), null);
});

test("a sent check-in keeps what the server measured: its distance and whether inside the fence", () => {
  assert.deepEqual(fenceOf({ id: 3, distance_m: 1112.4, within_geofence: false }), { distance_m: 1112.4, within_geofence: false });
  assert.deepEqual(fenceOf({ id: 4, distance_m: null, within_geofence: null }), { distance_m: null, within_geofence: null });
  assert.equal(fenceOf({ id: 12, number: 'YH-2026-0012' }), null); // a hazard's answer
  assert.equal(fenceOf(null), null);
});

test('each photo reports its upload progress, and the item counts the photos sent', async () => {
  const { store, outbox, progress } = await setup({ send: [http(503)] });
  const item = await addReport(outbox, store, 'a', 2);
  assert.deepEqual(photosSent(item), { sent: 0, total: 2 });
  await outbox.flush(7);
  assert.deepEqual(progress, [['a-p0', 0.5], ['a-p0', 1], ['a-p1', 0.5], ['a-p1', 1]]);
  const [waiting] = await outbox.list();
  assert.equal(waiting.state, 'waiting');
  assert.deepEqual(photosSent(waiting), { sent: 2, total: 2 });
});

test('sent items stay a day, at most 20 per user, and the user may clear them', async () => {
  const sent = (id, userId, sentAt) => ({ id, userId, state: 'sent', sentAt });
  const many = Array.from({ length: 22 }, (_, i) => sent(`u${i}`, 7, 1_000 + i));
  const expired = expiredSent([...many, sent('other', 8, 1_000), { id: 'w', userId: 7, state: 'waiting' }], 2_000);
  assert.deepEqual(expired.map((i) => i.id).sort(), ['u0', 'u1']);
  assert.deepEqual(expiredSent([sent('old', 7, 0)], 24 * 3600_000 + 1).map((i) => i.id), ['old']);

  const { store, outbox } = await setup();
  await addReport(outbox, store, 'a', 0);
  await outbox.flush(7);
  await addReport(outbox, store, 'b', 0);
  await outbox.clearSent(7);
  assert.deepEqual((await outbox.list()).map((i) => i.id), ['b']);
});

test('backoff doubles, is capped, and never undercuts Retry-After', () => {
  const half = () => 0.5;
  assert.equal(backoff(1, null, half), 1_500);
  assert.equal(backoff(2, null, half), 3_000);
  assert.equal(backoff(30, null, half), 225_000);
  assert.equal(backoff(1, 120, half), 120_000);
});

test('photo ids land in the right field for each group', () => {
  const item = {
    request: { body: { fixed_on_spot: { note: 'n', photo_ids: [] }, photo_ids: [] } },
    photos: [
      { group: 'photo_ids', serverId: 1 },
      { group: 'fix', serverId: 2 },
      { group: 'photo_ids', serverId: 3 },
    ],
  };
  assert.deepEqual(withPhotoIds(item), { fixed_on_spot: { note: 'n', photo_ids: [2] }, photo_ids: [1, 3] });
});

test('an item cut off mid-send (the page reloaded) goes at the next flush, inside its backoff, with the same key', async () => {
  const { store, sender, outbox } = await setup({ send: [http(502)] });
  await addReport(outbox, store, 'a', 0);
  await outbox.flush(7);
  const item = await store.get('a');
  assert.ok(item.nextAttemptAt > 1_000, 'in backoff after the 502');
  await store.put({ ...item, state: 'sending' }); // the next attempt began; the page went before the answer
  assert.deepEqual(await outbox.flush(7), ['sent']);
  assert.deepEqual(sender.calls.map((c) => c[2].client_uuid), ['a', 'a']);
});

test('asked during a run, the runner runs once more after it, forced when any ask was', async () => {
  const runs = [];
  let release;
  const first = new Promise((resolve) => (release = resolve));
  const ask = oneAtATime(async (options) => {
    runs.push(options);
    if (runs.length === 1) await first;
  });
  const running = ask();
  while (!runs.length) await null; // the first run has begun
  const again = ask({ force: true });
  ask();
  release();
  await Promise.all([running, again]);
  assert.deepEqual(runs, [{ force: false }, { force: true }]);
  await ask();
  assert.deepEqual(runs.at(-1), { force: false }, 'a later ask starts afresh');
  await Promise.all([ask(), ask({ force: true })]);
  assert.deepEqual(runs.at(-1), { force: true }, 'asks in one turn make one run');
  assert.equal(runs.length, 4);
});

test('a run that fails does not stop the runner: the next ask runs', async () => {
  let calls = 0;
  const ask = oneAtATime(async () => {
    calls += 1;
    if (calls === 1) throw new Error('storage went away');
  });
  await ask();
  await ask();
  assert.equal(calls, 2);
});

test('waiting and sending items are unsent; sent and failed ones are not', () => {
  assert.deepEqual(['waiting', 'sending', 'sent', 'failed'].map((state) => unsent({ state })), [true, true, false, false]);
});
