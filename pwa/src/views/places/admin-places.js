// Admin: units, zones and posts — add them, change their responsible person, retire them, and
// issue a new QR token when a sign is lost.
import { useState } from 'preact/hooks';
import { patch, post } from '../../api.js';
import { t } from '../../i18n/index.js';
import { showToast } from '../../store.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Field, Note, Section, fieldErrors } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

function useForm(blank) {
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState({});
  const set = (value) => setForm((f) => ({ ...f, ...value }));
  return { form, set, errors, setErrors, reset: () => setForm(blank) };
}

function Select({ value, onChange, options, required = true }) {
  return html`<select required=${required} value=${value} onChange=${(e) => onChange(e.target.value)}>
    <option value=""></option>
    ${options.map((o) => html`<option key=${o.id} value=${o.id}>${o.name}</option>`)}
  </select>`;
}

/** One create form for units, zones and posts: the fields differ, the handling does not. */
function CreateForm({ path, fields, blank, onCreated }) {
  const { form, set, errors, setErrors, reset } = useForm(blank);
  async function submit(event) {
    event.preventDefault();
    const body = Object.fromEntries(
      Object.entries(form)
        .filter(([, v]) => v !== '')
        .map(([k, v]) => [k, k.endsWith('_id') ? Number(v) : v]),
    );
    try {
      await post(path, body);
      reset();
      setErrors({});
      onCreated();
    } catch (caught) {
      setErrors({ ...fieldErrors(caught), _: problemText(caught) });
    }
  }
  return html`<form class="form" onSubmit=${submit}>
    ${fields.map(
      ([name, label, input]) => html`<${Field} key=${name} label=${label} error=${errors[name]}>
        ${input ? input(form[name], (v) => set({ [name]: v })) : html`<input required value=${form[name]} onInput=${(e) => set({ [name]: e.target.value })} />`}
      <//>`,
    )}
    ${errors._ && html`<${Note} tone="error">${errors._}<//>`}
    <button class="button primary">${t('admin.create')}</button>
  </form>`;
}

function PlaceRows({ kind, items, reload }) {
  async function toggle(item) {
    try {
      await patch(`/${kind}/${item.id}`, { active: !item.active });
      reload();
    } catch (caught) {
      showToast(problemText(caught), 'error');
    }
  }
  async function allowGuests(item) {
    await patch(`/zones/${item.id}`, { guest_reports: !item.guest_reports });
    reload();
  }
  async function rotate(item) {
    if (!confirm(t('admin.rotate_confirm'))) return;
    await post(`/${kind}/${item.id}/rotate-token`);
    showToast(t('admin.rotated'), 'success');
    reload();
  }
  return html`<ul class="rows">${items.map(
    (item) => html`<li key=${item.id}>
      <span><strong>${item.name}</strong> <span class="muted small">${item.code} · ${(item.head || item.holder).name}</span>
        ${!item.active && html` <span class="badge">${t('admin.inactive')}</span>`}</span>
      <span class="actions-row">
        ${kind === 'zones' && html`<button class="button small" aria-pressed=${item.guest_reports} onClick=${() => allowGuests(item)}>
          ${item.guest_reports ? t('admin.guest_reports_on') : t('admin.guest_reports_off')}</button>`}
        <a class="button small" href=${`/admin/${kind}/${item.id}`}>${t('admin.edit')}</a>
        <button class="button small" onClick=${() => rotate(item)}>${t('admin.rotate')}</button>
        <button class="button small" onClick=${() => toggle(item)}>${item.active ? t('admin.deactivate') : t('admin.activate')}</button>
      </span>
    </li>`,
  )}</ul>`;
}

export function AdminPlaces() {
  const units = useApi('/units');
  const zones = useApi('/zones?limit=200');
  const posts = useApi('/posts?limit=200');
  const heads = useApi('/users?role=zone_head&active=true&limit=200');
  const members = useApi('/users?active=true&limit=200');
  const unitOptions = units.data?.items || [];
  const party = (members.data?.items || []).filter((u) => u.is_party_member);
  const unitField = ['unit_id', t('admin.unit'), (v, set) => html`<${Select} value=${v} onChange=${set} options=${unitOptions} />`];
  return html`<a class="button block" href="/admin/import">${t('import.title')}</a>
    <${Section} title=${t('admin.zones')}>
      <${PlaceRows} kind="zones" items=${zones.data?.items || []} reload=${zones.reload} />
      <details><summary class="button small">${t('admin.new_zone')}</summary>
        <${CreateForm} path="/zones" onCreated=${zones.reload} blank=${{ code: '', name: '', unit_id: '', head_id: '' }} fields=${[
          ['code', t('admin.code')], ['name', t('admin.place_name')], unitField,
          ['head_id', t('zone.head'), (v, set) => html`<${Select} value=${v} onChange=${set} options=${heads.data?.items || []} />`],
        ]} />
      </details>
    <//>
    <${Section} title=${t('admin.posts')}>
      <${PlaceRows} kind="posts" items=${posts.data?.items || []} reload=${posts.reload} />
      <details><summary class="button small">${t('admin.new_post')}</summary>
        <${CreateForm} path="/posts" onCreated=${posts.reload} blank=${{ code: '', name: '', unit_id: '', holder_id: '' }} fields=${[
          ['code', t('admin.code')], ['name', t('admin.place_name')], unitField,
          ['holder_id', t('post.holder'), (v, set) => html`<${Select} value=${v} onChange=${set} options=${party} />`],
        ]} />
      </details>
    <//>
    <${Section} title=${t('admin.units')}>
      <ul class="rows">${unitOptions.map((u) => html`<li key=${u.id}><span><strong>${u.name}</strong> <span class="muted small">${u.code}</span></span></li>`)}</ul>
      <details><summary class="button small">${t('admin.new_unit')}</summary>
        <${CreateForm} path="/units" onCreated=${units.reload} blank=${{ code: '', name: '', parent_id: '' }} fields=${[
          ['code', t('admin.code')], ['name', t('admin.place_name')],
          ['parent_id', t('admin.parent'), (v, set) => html`<${Select} value=${v} onChange=${set} options=${unitOptions} required=${false} />`],
        ]} />
      </details>
    <//>`;
}
