// Drafts with Maps for the store and the blobs: kept per user and place, photos restored, sent or discarded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDrafts, draftKey, isEmpty } from '../src/drafts.js';

function setup() {
  const rows = new Map();
  const blobs = new Map([['b1', { id: 'b1', blob: 'jpeg1' }], ['b2', { id: 'b2', blob: 'jpeg2' }]]);
  const drafts = createDrafts({
    store: { get: async (k) => rows.get(k) || null, put: async (k, v) => void rows.set(k, structuredClone(v)), delete: async (k) => void rows.delete(k) },
    blobs: { get: async (id) => blobs.get(id), delete: async (id) => void blobs.delete(id) },
  });
  return { rows, blobs, drafts };
}

const photo = (n) => ({ uuid: `u${n}`, blobId: `b${n}`, group: 'photo_ids', preview: `blob:old-${n}` });

test('one draft per user, form and place', () => {
  assert.equal(draftKey(7, 'report', 'z:12'), 'draft:7:report:z:12');
  assert.notEqual(draftKey(7, 'fix', 12), draftKey(8, 'fix', 12));
});

test('a draft keeps its fields and photos (not their stale previews) and restores the photos with their blobs', async () => {
  const { rows, drafts } = setup();
  const key = draftKey(7, 'report', 'z:12');
  await drafts.save(key, { title: '盖板破损' }, { photo_ids: [photo(1)], fix: [] });
  assert.deepEqual(rows.get(key).photos.photo_ids, [{ uuid: 'u1', blobId: 'b1', group: 'photo_ids' }]);
  const back = await drafts.load(key);
  assert.deepEqual(back.fields, { title: '盖板破损' });
  assert.deepEqual(back.photos.photo_ids, [{ uuid: 'u1', blobId: 'b1', group: 'photo_ids', blob: 'jpeg1' }]);
  assert.equal(await drafts.load(draftKey(7, 'report', 'z:13')), null);
});

test('a photo whose blob is gone is left out of the restored draft', async () => {
  const { blobs, drafts } = setup();
  await drafts.save('k', {}, { photos: [photo(1), photo(2)] });
  blobs.delete('b1');
  assert.deepEqual((await drafts.load('k')).photos.photos.map((p) => p.uuid), ['u2']);
});

test('a sent draft leaves its photos to the outbox; a discarded one deletes them', async () => {
  const { rows, blobs, drafts } = setup();
  await drafts.save('sent', {}, { photos: [photo(1)] });
  await drafts.forget('sent');
  assert.equal(rows.has('sent'), false);
  assert.equal(blobs.has('b1'), true);
  await drafts.save('thrown', {}, { photos: [photo(2)] });
  await drafts.discard('thrown');
  assert.equal(rows.has('thrown'), false);
  assert.equal(blobs.has('b2'), false);
});

test('an untouched form is no draft', () => {
  const empty = { title: '', level: 'general' };
  assert.equal(isEmpty({ ...empty }, { photo_ids: [] }, empty), true);
  assert.equal(isEmpty({ ...empty, title: 'x' }, {}, empty), false);
  assert.equal(isEmpty({ ...empty }, { photo_ids: [photo(1)] }, empty), false);
});
