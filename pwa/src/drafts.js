// Drafts: what a report or fix form holds (its fields and the photos picked, by list) is kept per
// user and per zone or hazard until it is sent or discarded. The store and the photo blobs are
// parameters, so `node --test` runs it with Maps.

/** The key of a user's draft of one form for one place: ('report', 'z:12'), ('fix', 31). */
export function draftKey(userId, form, place) {
  return `draft:${userId}:${form}:${place}`;
}

/** Whether a form holds nothing beyond its empty fields and no photo. */
export function isEmpty(fields, photos, empty) {
  return JSON.stringify(fields) === JSON.stringify(empty) && Object.values(photos).every((list) => !list.length);
}

export function createDrafts({ store, blobs }) {
  /** Keep the fields and each photo's reference (its blob is already stored by the picker). */
  function save(key, fields, photos) {
    const kept = Object.fromEntries(
      Object.entries(photos).map(([name, list]) => [name, list.map(({ uuid, blobId, group }) => ({ uuid, blobId, group }))]),
    );
    return store.put(key, { fields, photos: kept });
  }

  /** { fields, photos } with each photo's blob, or null; a photo whose blob is gone is left out. */
  async function load(key) {
    const draft = await store.get(key);
    if (!draft) return null;
    const photos = {};
    for (const [name, list] of Object.entries(draft.photos)) {
      photos[name] = [];
      for (const photo of list) {
        const stored = await blobs.get(photo.blobId);
        if (stored) photos[name].push({ ...photo, blob: stored.blob });
      }
    }
    return { fields: draft.fields, photos };
  }

  /** The draft was sent: its photos belong to the outbox item now. */
  function forget(key) {
    return store.delete(key);
  }

  /** The user threw the draft away: its photos go too. */
  async function discard(key) {
    const draft = await store.get(key);
    for (const list of Object.values(draft?.photos || {})) {
      for (const photo of list) await blobs.delete(photo.blobId);
    }
    await store.delete(key);
  }

  return { save, load, forget, discard };
}
