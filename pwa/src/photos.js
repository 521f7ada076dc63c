// Phone-side photos: read capture time and GPS first (a canvas drops EXIF), then shrink to a
// 1600 px JPEG at q≈0.8 drawn into a canvas of the target size only, orientation applied.
import { outboxStore } from './db.js';

export const MAX_EDGE = 1600;
export const QUALITY = 0.8;

/** The size to draw: the long edge at most maxEdge, never enlarged, aspect kept. */
export function targetSize(width, height, maxEdge = MAX_EDGE) {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

async function readExif(file) {
  try {
    const { default: exifr } = await import('exifr/dist/lite.esm.mjs');
    const [gps, tags] = await Promise.all([
      exifr.gps(file).catch(() => null),
      // Not parse(file, ['DateTimeOriginal']): exifr 7.1.3's lite build throws on a pick list.
      exifr.parse(file, { ifd0: false, exif: ['DateTimeOriginal'], gps: false }).catch(() => null),
    ]);
    const taken = tags?.DateTimeOriginal instanceof Date ? tags.DateTimeOriginal.toISOString() : null;
    return { taken_at: taken, lat: gps?.latitude ?? null, lng: gps?.longitude ?? null };
  } catch {
    return {};
  }
}

async function decode(file) {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode(); // browsers apply EXIF orientation (image-orientation: from-image)
    return image;
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

export async function compress(file) {
  const meta = await readExif(file);
  const image = await decode(file);
  const size = targetSize(image.naturalWidth, image.naturalHeight);
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  canvas.getContext('2d').drawImage(image, 0, 0, size.width, size.height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  canvas.width = canvas.height = 0; // let iOS free the canvas memory at once
  return { blob, meta };
}

/** Compress, keep the blob in IndexedDB, and answer the outbox photo entry with a preview URL. */
export async function keepPhoto(file, group) {
  const { blob, meta } = await compress(file);
  const uuid = crypto.randomUUID();
  await outboxStore.putBlob(uuid, blob, meta);
  return { uuid, blobId: uuid, group, meta, preview: URL.createObjectURL(blob), bytes: blob.size };
}
