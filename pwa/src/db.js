// The only IndexedDB access: the outbox, photo blobs, and cached reference data.
import { openDB } from 'idb';

const DB_NAME = 'safety-zones';
let opening = null;

function database() {
  opening ||= openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'id' });
      db.createObjectStore('blobs', { keyPath: 'id' });
      db.createObjectStore('cache', { keyPath: 'key' });
    },
  });
  return opening;
}

/** The store the outbox logic takes (see outbox.js). */
export const outboxStore = {
  all: async () => (await database()).getAll('outbox'),
  get: async (id) => (await database()).get('outbox', id),
  put: async (item) => (await database()).put('outbox', item),
  delete: async (id) => (await database()).delete('outbox', id),
  putBlob: async (id, blob, meta = {}) => (await database()).put('blobs', { id, blob, meta }),
  getBlob: async (id) => (await database()).get('blobs', id), // { id, blob, meta }
  deleteBlob: async (id) => (await database()).delete('blobs', id),
};

/** Reference data kept for offline viewing: saved answers per user, the offline pack, the user. */
export async function cachePut(key, value) {
  await (await database()).put('cache', { key, value, at: Date.now() });
}

export async function cacheGet(key) {
  return (await (await database()).get('cache', key)) || null;
}
