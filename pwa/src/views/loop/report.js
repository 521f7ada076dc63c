// Report a hazard: big category buttons, a title, photos, an optional location, and the fix if
// it was done on the spot. Submitting puts it in the outbox and returns at once. What is typed and
// picked is a draft, one per zone (or sign), until it is sent or discarded.
import { useEffect, useState } from 'preact/hooks';
import { CATEGORIES, LEVELS } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { showToast, useStore } from '../../store.js';
import { enqueue } from '../../sync.js';
import { zoneById } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { draftKey } from '../../drafts.js';
import { useDraft } from '../../ui/draft.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';
import { ReportLookAlikes } from './repeats.js';
import { PhotoPicker } from '../../ui/photo-picker.js';
import { outboxStore } from '../../db.js';
import { useActiveZones } from '../places/zone.js';

function Location({ value, onChange }) {
  const [state, setState] = useState('idle');
  function locate() {
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        onChange({ lat: latitude, lng: longitude, accuracy: Math.round(accuracy) });
        setState('idle');
      },
      () => setState('failed'),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }
  return html`<div class="field">
    <span class="field-label">${t('report.location')}</span>
    ${value
      ? html`<p class="small">${value.lat.toFixed(5)}, ${value.lng.toFixed(5)} · ${t('report.location_accuracy', { m: value.accuracy })}</p>`
      : html`<button type="button" class="button" onClick=${locate} disabled=${state === 'locating'}>
          ${state === 'locating' ? t('report.locating') : t('report.get_location')}</button>`}
    ${state === 'failed' && html`<span class="field-hint">${t('report.location_failed')}</span>`}
  </div>`;
}

/** What the hazard is: category, title and description (a staff report and a guest's alike). */
export function HazardFields({ form, set }) {
  return html`<div class="field">
      <span class="field-label">${t('report.category')}</span>
      <div class="choice-grid">
        ${CATEGORIES.map(
          (category) => html`<button type="button" key=${category} aria-pressed=${form.category === category}
            class=${form.category === category ? 'choice selected' : 'choice'} onClick=${() => set({ category })}>
            ${t(`category.${category}`)}</button>`,
        )}
      </div>
    </div>
    <${Field} label=${t('report.title_field')}>
      <input required maxlength="100" value=${form.title} placeholder=${t('report.title_placeholder')}
        onInput=${(e) => set({ title: e.target.value })} />
    <//>
    <${Field} label=${t('report.description')}>
      <textarea maxlength="2000" rows="3" value=${form.description} onInput=${(e) => set({ description: e.target.value })}></textarea>
    <//>`;
}

function draftFrom(item) {
  const body = item?.request.body || {};
  return {
    category: body.category || null,
    title: body.title || '',
    description: body.description || '',
    level: body.level || 'general',
    location: body.lat != null ? { lat: body.lat, lng: body.lng, accuracy: 0 } : null,
    fixed: Boolean(body.fixed_on_spot),
    fixNote: body.fixed_on_spot?.note || '',
    zoneId: null, // editing a report by sign: the zone chosen instead of the sign
  };
}

/** Editing a report kept by sign (the sign may have been replaced): keep the sign, or choose the
 * zone by hand. */
function ZoneChoice({ value, onChange }) {
  const zones = useActiveZones();
  return html`<${Field} label=${t('report.zone')}>
    <select value=${value || ''} onChange=${(e) => onChange(e.target.value || null)}>
      <option value="">${t('report.keep_sign')}</option>
      ${(zones.data?.items || []).map((zone) => html`<option key=${zone.id} value=${zone.id}>${zone.code} ${zone.name}</option>`)}
    </select>
  <//>`;
}

/** The report form for a zone named by id, or by the token of its sign (scanned with no signal at
 * a sign the offline pack does not hold: the server resolves the zone when the report arrives). */
export function Report({ zoneId, zoneToken = null, editing = null }) {
  const zone = useApi(zoneToken ? null : `/zones/${zoneId}`, { fallback: () => zoneById(offlinePack(), zoneId) });
  const userId = useStore((s) => s.user?.id);
  const place = zoneToken ? `t:${zoneToken}` : `z:${zoneId}`;
  const draft = useDraft(editing ? null : draftKey(userId, 'report', place), draftFrom(editing));
  const { fields: form, set } = draft;
  const photos = draft.photos('photo_ids');
  const fixPhotos = draft.photos('fix');
  const setPhotos = (list) => draft.setPhotos('photo_ids', list);
  const setFixPhotos = (list) => draft.setPhotos('fix', list);
  const [error, setError] = useState(null);

  useEffect(() => {
    // Editing a failed item: show its kept photos again.
    if (!editing) return;
    (async () => {
      const previews = [];
      for (const photo of editing.photos) {
        const stored = await outboxStore.getBlob(photo.blobId);
        if (stored) previews.push({ ...photo, preview: URL.createObjectURL(stored.blob) });
      }
      setPhotos(previews.filter((p) => p.group === 'photo_ids'));
      setFixPhotos(previews.filter((p) => p.group === 'fix'));
    })();
  }, [editing]);

  async function submit(event) {
    event.preventDefault();
    if (!form.category) return setError(t('report.category'));
    if (!photos.length) return setError(t('report.need_photo'));
    if (form.fixed && !fixPhotos.length) return setError(t('report.fix_photos'));
    const id = editing?.id || crypto.randomUUID();
    const bySign = zoneToken && !form.zoneId;
    const body = {
      client_uuid: id,
      ...(bySign ? { zone_token: zoneToken } : { zone_id: Number(form.zoneId || zoneId) }),
      title: form.title.trim(),
      description: form.description.trim() || form.title.trim(),
      category: form.category,
      level: form.level,
      client_at: new Date().toISOString(),
      photo_ids: [],
      ...(form.location ? { lat: form.location.lat, lng: form.location.lng } : {}),
      ...(form.fixed ? { fixed_on_spot: { note: form.fixNote.trim(), photo_ids: [] } } : {}),
    };
    const entries = [...photos, ...fixPhotos].map(({ uuid, blobId, group }) => ({ uuid, blobId, group }));
    await enqueue({ id, kind: 'hazard', path: '/hazards', body, photos: entries });
    await draft.sent();
    showToast(t('report.queued'), 'success');
    // A report by sign shows in the outbox, waiting for the server to name its zone.
    navigate(bySign || editing ? '/outbox' : `/zones/${zoneId}`, { replace: true });
  }

  async function discard() {
    if (confirm(t('draft.discard_confirm'))) await draft.discard();
  }

  return html`<form class="form" onSubmit=${submit} data-draft-ready=${draft.ready}>
    ${zoneToken && editing && html`<${ZoneChoice} value=${form.zoneId} onChange=${(zoneId) => set({ zoneId })} />`}
    ${zoneToken
      ? !form.zoneId && html`<${Note} tone="warn">${t('report.by_sign')}<//>`
      : html`<p class="place-line">${t('report.zone')}：<strong>${zone.data?.name || ''}</strong> ${zone.data?.code || ''}</p>`}
    <${HazardFields} form=${form} set=${set} />
    <${ReportLookAlikes} zoneId=${form.zoneId || zoneId} category=${form.category} text=${`${form.title} ${form.description}`} />
    <div class="field">
      <span class="field-label">${t('report.level')}</span>
      <div class="segmented">
        ${LEVELS.map(
          (level) => html`<button type="button" key=${level} aria-pressed=${form.level === level}
            class=${form.level === level ? 'selected' : ''} onClick=${() => set({ level })}>${t(`level.${level}`)}</button>`,
        )}
      </div>
    </div>
    <${PhotoPicker} label=${t('report.photos')} photos=${photos} onChange=${setPhotos} group="photo_ids" />
    <${Location} value=${form.location} onChange=${(location) => set({ location })} />
    <label class="switch"><input type="checkbox" checked=${form.fixed} onChange=${(e) => set({ fixed: e.target.checked })} />
      <span>${t('report.fixed_on_spot')}</span></label>
    ${form.fixed &&
    html`<${Field} label=${t('report.fix_note')}>
        <textarea required maxlength="2000" rows="2" value=${form.fixNote} onInput=${(e) => set({ fixNote: e.target.value })}></textarea>
      <//>
      <${PhotoPicker} label=${t('report.fix_photos')} photos=${fixPhotos} onChange=${setFixPhotos} group="fix" />`}
    ${error && html`<${Note} tone="error">${error}<//>`}
    <button class="button primary block big">${t('report.submit')}</button>
    ${draft.kept && html`<p class="muted small center">${t('draft.kept')}</p>
      <button type="button" class="button block" onClick=${discard}>${t('draft.discard')}</button>`}
  </form>`;
}
