// Safety responsibility letters (安全责任书): read and sign one's own; admins issue them and,
// with supervisors, see who has not signed yet.
import { useState } from 'preact/hooks';
import { post } from '../../api.js';
import { LETTER_LAYERS, ROLES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { showToast, useStore } from '../../store.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Field, Loading, Note, Section, StaleNote, fieldErrors, formatDateTime } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

export function Letters() {
  const user = useStore((s) => s.user);
  const letters = useApi('/letters');
  const items = letters.data?.items || [];
  return html`${user.may?.includes('issue_letters') && html`<a class="button primary block" href="/letters/new">${t('letter.issue')}</a>`}
    <${StaleNote} stale=${letters.stale} />
    <${ErrorNote} error=${letters.error} onRetry=${letters.reload} />
    ${letters.data && !items.length && html`<${Empty} text=${t('letter.none')} />`}
    <div class="cards">
      ${items.map(
        (letter) => html`<a class="card" key=${letter.id} href=${`/letters/${letter.id}`}>
          <span class="card-body party-row">
            <strong>${letter.title}</strong>
            <span class="small">${letter.year} · ${t(`letter.layer.${letter.layer}`)}</span>
            ${letter.mine && html`<span class=${letter.mine.signed_at ? 'badge' : 'badge overdue'}>${letter.mine.signed_at ? t('letter.signed') : t('letter.to_sign')}</span>`}
            ${letter.may_follow && html`<span class="small muted">${t('letter.signed_count', { n: letter.signed_count, total: letter.recipient_count })}</span>`}
          </span>
        </a>`,
      )}
    </div>`;
}

/** The sha256 of the text this screen shows, so the signature names what was read. Without
 * SubtleCrypto (plain http on a LAN) the server's hash of the same text is sent. */
async function textHash(letter) {
  if (!crypto.subtle) return letter.body_hash;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(letter.body));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function SignForm({ letter, reload }) {
  const user = useStore((s) => s.user);
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    try {
      await post(`/letters/${letter.id}/sign`, { signature: name, body_hash: await textHash(letter) });
      showToast(t('letter.thanks'), 'success');
      reload();
    } catch (caught) {
      setError(problemText(caught));
    }
  }
  return html`<form class="form" onSubmit=${submit}>
    <${Field} label=${t('letter.type_name')} hint=${t('letter.type_name_hint', { name: user.name })}>
      <input required maxlength="100" value=${name} autocomplete="name" onInput=${(e) => setName(e.target.value)} />
    <//>
    ${error && html`<${Note} tone="error">${error}<//>`}
    <button class="button primary block big">${t('letter.sign')}</button>
  </form>`;
}

export function Letter({ id }) {
  const letter = useApi(`/letters/${id}`);
  if (letter.loading && !letter.data) return html`<${Loading} />`;
  if (!letter.data) return html`<${ErrorNote} error=${letter.error} onRetry=${letter.reload} />`;
  const l = letter.data;
  const unsigned = (l.recipients || []).filter((r) => !r.signed_at);
  return html`<${StaleNote} stale=${letter.stale} />
    <div class="place">
      <p class="code">${l.year} · ${t(`letter.layer.${l.layer}`)}</p>
      <h2>${l.title}</h2>
      <p class="small muted">${t('letter.issued_by', { name: l.issued_by.name, at: formatDateTime(l.created_at) })}</p>
    </div>
    <div class="letter-text">${l.body}</div>
    ${l.mine && (l.mine.signed_at
      ? html`<${Note} tone="success">${t('letter.you_signed', { name: l.mine.signature, at: formatDateTime(l.mine.signed_at) })}<//>`
      : html`<${SignForm} letter=${l} reload=${letter.reload} />`)}
    ${l.recipients && html`<${Section} title=${t('letter.unsigned', { n: unsigned.length, total: l.recipient_count })}>
        ${unsigned.length ? html`<ul class="rows">${unsigned.map((r) => html`<li key=${r.id}><span>${r.user.name}</span>
          ${r.user.phone && html`<a class="button small" href=${`tel:${r.user.phone}`} data-external>${t('common.call')}</a>`}</li>`)}</ul>`
          : html`<${Empty} text=${t('letter.all_signed')} />`}
      <//>
      <${Section} title=${t('letter.signed')}>
        <ul class="rows">${l.recipients.filter((r) => r.signed_at).map((r) => html`<li key=${r.id}><span>${r.user.name}</span>
          <span class="small muted">${formatDateTime(r.signed_at)}</span></li>`)}</ul>
      <//>`}`;
}

export function IssueLetter() {
  const units = useApi('/units');
  const [form, setForm] = useState({ title: '', year: new Date().getFullYear(), layer: 'zone_head', body: '', unit_id: '' });
  const [picked, setPicked] = useState(new Set());
  const [errors, setErrors] = useState({});
  const set = (patch) => setForm((f) => ({ ...f, ...patch }));
  const people = useApi(form.unit_id ? `/users?active=true&limit=200&unit_id=${form.unit_id}` : null);
  const candidates = people.data?.items || [];
  const toggle = (userId) => setPicked((p) => { const next = new Set(p); next.has(userId) ? next.delete(userId) : next.add(userId); return next; });
  const pickRole = (role) => setPicked(new Set(candidates.filter((u) => role === 'all' || u.role === role).map((u) => u.id)));
  async function submit(event) {
    event.preventDefault();
    try {
      const created = await post('/letters', { ...form, year: Number(form.year), unit_id: Number(form.unit_id), recipient_ids: [...picked] });
      navigate(`/letters/${created.id}`, { replace: true });
    } catch (caught) {
      setErrors({ ...fieldErrors(caught), _: problemText(caught) });
    }
  }
  return html`<form class="form" onSubmit=${submit}>
    <${Field} label=${t('letter.title_field')} error=${errors.title}><input required maxlength="100" value=${form.title} onInput=${(e) => set({ title: e.target.value })} /><//>
    <${Field} label=${t('letter.year')} error=${errors.year}><input type="number" required min="2000" max="2100" value=${form.year} onInput=${(e) => set({ year: e.target.value })} /><//>
    <${Field} label=${t('letter.layer_label')}><select value=${form.layer} onChange=${(e) => set({ layer: e.target.value })}>
      ${LETTER_LAYERS.map((layer) => html`<option key=${layer} value=${layer}>${t(`letter.layer.${layer}`)}</option>`)}</select><//>
    <${Field} label=${t('letter.body')} error=${errors.body}><textarea required rows="8" maxlength="20000" value=${form.body} onInput=${(e) => set({ body: e.target.value })}></textarea><//>
    <${Field} label=${t('admin.unit')} error=${errors.unit_id}><select required value=${form.unit_id} onChange=${(e) => { set({ unit_id: e.target.value }); setPicked(new Set()); }}>
      <option value=""></option>${(units.data?.items || []).map((u) => html`<option key=${u.id} value=${u.id}>${u.name}</option>`)}</select><//>
    ${candidates.length > 0 && html`<div class="field">
      <span class="field-label">${t('letter.recipients', { n: picked.size })}</span>
      <div class="chips">${['all', ...ROLES.filter((role) => role !== 'admin')].map((role) => html`<button type="button" class="chip" key=${role} onClick=${() => pickRole(role)}>${role === 'all' ? t('common.all') : t(`role.${role}`)}</button>`)}</div>
      <ul class="rows">${candidates.map((u) => html`<li key=${u.id}><label class="switch"><input type="checkbox" checked=${picked.has(u.id)} onChange=${() => toggle(u.id)} /><span>${u.name} · ${t(`role.${u.role}`)}</span></label></li>`)}</ul>
      ${errors.recipient_ids && html`<span class="field-error">${errors.recipient_ids}</span>`}
    </div>`}
    ${errors._ && html`<${Note} tone="error">${errors._}<//>`}
    <button class="button primary block big" disabled=${!picked.size}>${t('letter.issue')}</button>
  </form>`;
}
