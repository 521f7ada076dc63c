// Photos from the camera: several, with previews, each removable; shrunk before they are kept.
import { useState } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { keepPhoto } from '../photos.js';
import { outboxStore } from '../db.js';
import { problemText } from '../problems.js';
import { html } from './html.js';
import { Note } from './kit.js';

export function PhotoPicker({ label, photos, onChange, group, max = 9 }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  async function add(event) {
    const files = [...event.target.files].slice(0, max - photos.length);
    event.target.value = '';
    setBusy(true);
    setError(null);
    try {
      const kept = [];
      for (const file of files) kept.push(await keepPhoto(file, group));
      onChange([...photos, ...kept]);
    } catch (caught) {
      setError(problemText(caught)); // storage full, most likely: say what to do
    } finally {
      setBusy(false);
    }
  }
  async function remove(photo) {
    await outboxStore.deleteBlob(photo.blobId);
    onChange(photos.filter((p) => p !== photo));
  }
  return html`<div class="photo-picker">
    <span class="field-label">${label}</span>
    <div class="photo-grid">
      ${photos.map(
        (photo) => html`<figure class="photo" key=${photo.uuid}>
          <img src=${photo.preview} alt="" />
          <button type="button" class="remove" aria-label=${t('report.remove_photo')} onClick=${() => remove(photo)}>×</button>
        </figure>`,
      )}
      ${photos.length < max &&
      html`<label class="photo add">
        <input type="file" accept="image/*" capture="environment" multiple onChange=${add} />
        <span>${busy ? t('report.compressing') : `＋ ${t('report.add_photo')}`}</span>
      </label>`}
    </div>
    ${error && html`<${Note} tone="error">${error}<//>`}
  </div>`;
}
