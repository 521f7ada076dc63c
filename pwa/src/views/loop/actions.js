// The form each action of the loop asks for (DESIGN §3), sent through the outbox with the
// version the user saw and an Idempotency-Key, so a retry never acts twice. The fix (submit) form
// is a draft, one per hazard, until it is sent or discarded.
import { LEVELS } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { draftKey } from '../../drafts.js';
import { showToast, useStore } from '../../store.js';
import { enqueue } from '../../sync.js';
import { useApi } from '../../ui/data.js';
import { useDraft } from '../../ui/draft.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';
import { PhotoPicker } from '../../ui/photo-picker.js';

function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function AssigneePicker({ value, onChange, hazardId }) {
  const people = useApi(`/hazards/${hazardId}/assignees`);
  return html`<select required value=${value} onChange=${(e) => onChange(Number(e.target.value))}>
    <option value="">${t('form.pick_assignee')}</option>
    ${(people.data?.items || []).map((p) => html`<option key=${p.id} value=${p.id}>${p.name}</option>`)}
  </select>`;
}

const FORMS = {
  confirm: (f, set, hazard) => html`
    <${Field} label=${t('form.assignee')}><${AssigneePicker} value=${f.assignee_id || ''} onChange=${(v) => set({ assignee_id: v })} hazardId=${hazard.id} /><//>
    <${Field} label=${t('form.deadline')}><input type="date" required min=${today()} value=${f.deadline || today(7)} onInput=${(e) => set({ deadline: e.target.value })} /><//>
    <div class="segmented">${LEVELS.map(
      (level) => html`<button type="button" key=${level} class=${(f.level || hazard.level) === level ? 'selected' : ''} onClick=${() => set({ level })}>${t(`level.${level}`)}</button>`,
    )}</div>
    <${Field} label=${t('form.measures')}><textarea required maxlength="2000" rows="3" value=${f.measures || ''} onInput=${(e) => set({ measures: e.target.value })}></textarea><//>
    ${(f.level || hazard.level) === 'major' &&
    html`<${Note}>${t('form.major_hint')}<//>
      <${Field} label=${t('form.funds')}><input required maxlength="200" value=${f.funds || ''} onInput=${(e) => set({ funds: e.target.value })} /><//>
      <${Field} label=${t('form.contingency_plan')}><textarea required maxlength="2000" rows="2" value=${f.contingency_plan || ''} onInput=${(e) => set({ contingency_plan: e.target.value })}></textarea><//>`}`,
  reject: (f, set) => html`
    <${Field} label=${t('form.reason')}><textarea required maxlength="500" rows="2" value=${f.reason || ''} onInput=${(e) => set({ reason: e.target.value })}></textarea><//>
    <${Field} label=${t('form.duplicate_of')}><input type="number" inputmode="numeric" value=${f.duplicate_of || ''} onInput=${(e) => set({ duplicate_of: e.target.value ? Number(e.target.value) : undefined })} /><//>`,
  submit: (f, set) => html`
    <${Field} label=${t('form.note')}><textarea required maxlength="2000" rows="3" value=${f.note || ''} onInput=${(e) => set({ note: e.target.value })}></textarea><//>
    <${PhotoPicker} label=${t('form.photos')} photos=${f.photos || []} onChange=${(photos) => set({ photos })} group="photo_ids" />`,
  accept: (f, set) => html`<${Field} label=${t('form.comment')}><textarea maxlength="2000" rows="2" value=${f.comment || ''} onInput=${(e) => set({ comment: e.target.value })}></textarea><//>`,
  return: (f, set) => reasonField(f, set),
  deny_extension: (f, set) => reasonField(f, set),
  extend: (f, set, hazard) => deadlineFields(f, set, hazard),
  request_extension: (f, set, hazard) => deadlineFields(f, set, hazard),
  reassign: (f, set, hazard) => html`
    <${Field} label=${t('form.assignee')}><${AssigneePicker} value=${f.assignee_id || ''} onChange=${(v) => set({ assignee_id: v })} hazardId=${hazard.id} /><//>
    <${Field} label=${t('form.reason')}><input maxlength="500" value=${f.reason || ''} onInput=${(e) => set({ reason: e.target.value })} /><//>`,
  comment: (f, set) => html`<${Field} label=${t('form.text')}><textarea required maxlength="2000" rows="2" value=${f.text || ''} onInput=${(e) => set({ text: e.target.value })}></textarea><//>`,
};

function reasonField(f, set) {
  return html`<${Field} label=${t('form.reason')}><textarea required maxlength="500" rows="2" value=${f.reason || ''} onInput=${(e) => set({ reason: e.target.value })}></textarea><//>`;
}

function deadlineFields(f, set, hazard) {
  return html`
    <${Field} label=${t('form.new_deadline')}><input type="date" required min=${hazard.deadline} value=${f.deadline || ''} onInput=${(e) => set({ deadline: e.target.value })} /><//>
    ${reasonField(f, set)}`;
}

const NOTHING = {};

// What a form starts with: an extension is granted for the date asked, unless the form changes it.
function defaults(action, hazard) {
  if (action === 'confirm') return { level: hazard.level, deadline: today(7) };
  if (action === 'extend' && hazard.extension_deadline) return { deadline: hazard.extension_deadline };
  return NOTHING;
}

/** Put an action into the outbox, with the version the user saw and its own Idempotency-Key. */
export async function queueAction(hazard, action, body, photos = []) {
  const key = crypto.randomUUID();
  await enqueue({
    id: key,
    kind: 'action',
    hazardId: hazard.id,
    path: `/hazards/${hazard.id}/actions/${action}`,
    body: { ...(action === 'comment' ? {} : { version: hazard.version }), ...body, ...(photos.length ? { photo_ids: [] } : {}) },
    headers: { 'Idempotency-Key': key },
    photos: photos.map(({ uuid, blobId, group }) => ({ uuid, blobId, group })),
  });
  showToast(t('hazard.queued'), 'success');
}

export function ActionForm({ hazard, action, onDone }) {
  const userId = useStore((s) => s.user?.id);
  const draft = useDraft(action === 'submit' ? draftKey(userId, 'fix', hazard.id) : null, NOTHING);
  const fields = { ...defaults(action, hazard), ...draft.fields, photos: draft.photos('photos') };
  function set({ photos, ...patch }) {
    if (photos) draft.setPhotos('photos', photos);
    if (Object.keys(patch).length) draft.set(patch);
  }
  async function discard() {
    if (confirm(t('draft.discard_confirm'))) await draft.discard();
  }
  async function submit(event) {
    event.preventDefault();
    const { photos = [], ...body } = fields;
    if (action === 'submit' && !photos.length) return;
    await queueAction(hazard, action, body, photos);
    await draft.sent();
    onDone();
  }
  return html`<form class="form action-form" onSubmit=${submit}>
    <h3>${t(`action.${action}`)}</h3>
    ${FORMS[action](fields, set, hazard)}
    ${draft.kept && html`<p class="muted small">${t('draft.kept')}</p>`}
    <div class="actions-row">
      ${draft.kept && html`<button type="button" class="button danger" onClick=${discard}>${t('draft.discard')}</button>`}
      <button type="button" class="button" onClick=${onDone}>${t('common.cancel')}</button>
      <button class=${action === 'reject' || action === 'return' ? 'button danger' : 'button primary'}>${t('common.submit')}</button>
    </div>
  </form>`;
}
