// A form's draft, kept in IndexedDB as it is typed and picked (drafts.js), restored when the form
// opens again, gone once sent or discarded. Without a key (editing an outbox item) it is plain state.
import { useEffect, useRef, useState } from 'preact/hooks';
import { cacheGet, cachePut, outboxStore } from '../db.js';
import { createDrafts, isEmpty } from '../drafts.js';

const drafts = createDrafts({
  store: {
    get: async (key) => (await cacheGet(key))?.value || null,
    put: (key, draft) => cachePut(key, draft),
    delete: (key) => cachePut(key, null),
  },
  blobs: { get: outboxStore.getBlob, delete: outboxStore.deleteBlob },
});

const withPreviews = (photos) =>
  Object.fromEntries(Object.entries(photos).map(([name, list]) => [name, list.map(({ blob, ...photo }) => ({ ...photo, preview: URL.createObjectURL(blob) }))]));

/** { fields, set, photos(name), setPhotos(name, list), ready (restored), kept, sent(), discard() } */
export function useDraft(key, empty) {
  const [fields, setFields] = useState(empty);
  const [photoLists, setPhotoLists] = useState({});
  const [loaded, setLoaded] = useState(null); // the key whose draft the form shows
  const ready = !key || loaded === key; // until then nothing is saved (a new key: not the old fields)
  // The key the user has typed or picked for: what they did before its draft came out of
  // IndexedDB is theirs, and the draft (if any) must not write over it.
  const touched = useRef(null);
  useEffect(() => {
    if (!key) return undefined;
    let live = true;
    if (loaded !== null && loaded !== key) {
      setFields(empty); // another zone's or hazard's form: not the last one's fields
      setPhotoLists({});
    }
    drafts.load(key).then((draft) => {
      if (!live) return;
      if (touched.current !== key) {
        setFields(draft ? { ...empty, ...draft.fields } : empty);
        setPhotoLists(draft ? withPreviews(draft.photos) : {});
      }
      setLoaded(key);
    });
    return () => {
      live = false;
    };
  }, [key]);
  const blank = isEmpty(fields, photoLists, empty);
  useEffect(() => {
    if (!key || !ready) return;
    if (blank) drafts.forget(key);
    else drafts.save(key, fields, photoLists);
  }, [key, ready, fields, photoLists]);
  return {
    fields,
    set: (patch) => {
      touched.current = key;
      setFields((f) => ({ ...f, ...patch }));
    },
    photos: (name) => photoLists[name] || [],
    setPhotos: (name, list) => {
      touched.current = key;
      setPhotoLists((p) => ({ ...p, [name]: list }));
    },
    ready,
    kept: Boolean(key) && ready && !blank,
    sent: () => key && drafts.forget(key),
    async discard() {
      if (key) await drafts.discard(key);
      setFields(empty);
      setPhotoLists({});
    },
  };
}
