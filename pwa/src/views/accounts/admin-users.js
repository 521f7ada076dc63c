// Admin: accounts (create, reset password, activate).
import { useState } from 'preact/hooks';
import { patch, post } from '../../api.js';
import { ROLES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Field, Note, Section, fieldErrors } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

function NewUser({ units, onCreated }) {
  const blank = { username: '', name: '', role: 'worker', unit_id: '', is_party_member: false, phone: '', password: '' };
  const [form, setForm] = useState(blank);
  const [errors, setErrors] = useState({});
  const set = (patchValue) => setForm((f) => ({ ...f, ...patchValue }));
  async function submit(event) {
    event.preventDefault();
    try {
      await post('/users', { ...form, unit_id: Number(form.unit_id), phone: form.phone || null });
      setForm(blank);
      setErrors({});
      onCreated();
    } catch (caught) {
      setErrors({ ...fieldErrors(caught), _: problemText(caught) });
    }
  }
  return html`<form class="form" onSubmit=${submit}>
    <${Field} label=${t('admin.username')} error=${errors.username}><input required value=${form.username} onInput=${(e) => set({ username: e.target.value })} /><//>
    <${Field} label=${t('admin.name')} error=${errors.name}><input required value=${form.name} onInput=${(e) => set({ name: e.target.value })} /><//>
    <${Field} label=${t('admin.role')}><select value=${form.role} onChange=${(e) => set({ role: e.target.value })}>
      ${ROLES.map((role) => html`<option value=${role}>${t(`role.${role}`)}</option>`)}</select><//>
    <${Field} label=${t('admin.unit')} error=${errors.unit_id}><select required value=${form.unit_id} onChange=${(e) => set({ unit_id: e.target.value })}>
      <option value=""></option>${units.map((unit) => html`<option value=${unit.id}>${unit.name}</option>`)}</select><//>
    <label class="switch"><input type="checkbox" checked=${form.is_party_member} onChange=${(e) => set({ is_party_member: e.target.checked })} /><span>${t('admin.party_member')}</span></label>
    <${Field} label=${t('admin.phone')} error=${errors.phone}><input type="tel" value=${form.phone} onInput=${(e) => set({ phone: e.target.value })} /><//>
    <${Field} label=${t('admin.initial_password')} error=${errors.password}><input type="text" autocomplete="new-password" required minlength="8" value=${form.password} onInput=${(e) => set({ password: e.target.value })} /><//>
    ${errors._ && html`<${Note} tone="error">${errors._}<//>`}
    <button class="button primary">${t('admin.new_user')}</button>
  </form>`;
}

export function AdminUsers() {
  const users = useApi('/users?limit=200');
  const units = useApi('/units');
  const [message, setMessage] = useState(null);
  async function reset(user) {
    const answer = await post(`/users/${user.id}/reset-password`);
    setMessage(t('admin.one_time_password', { username: answer.username, password: answer.one_time_password }));
  }
  async function toggle(user) {
    try {
      await patch(`/users/${user.id}`, { active: !user.active });
      users.reload();
    } catch (caught) {
      setMessage(problemText(caught));
    }
  }
  return html`${message && html`<${Note}>${message}<//>`}
    <a class="button block" href="/admin/import">${t('import.title')}</a>
    <${Section} title=${t('admin.users')}>
      <ul class="rows">${(users.data?.items || []).map(
        (user) => html`<li key=${user.id}>
          <span><strong>${user.name}</strong> <span class="muted small">${user.username} · ${t(`role.${user.role}`)} · ${user.unit.name}</span>
            ${!user.active && html` <span class="badge">${t('admin.inactive')}</span>`}</span>
          <span class="actions-row">
            <a class="button small" href=${`/admin/users/${user.id}`}>${t('admin.edit')}</a>
            <button class="button small" onClick=${() => reset(user)}>${t('admin.reset_password')}</button>
            <button class="button small" onClick=${() => toggle(user)}>${user.active ? t('admin.deactivate') : t('admin.activate')}</button>
          </span>
        </li>`,
      )}</ul>
    <//>
    <${Section} title=${t('admin.new_user')}><${NewUser} units=${units.data?.items || []} onCreated=${users.reload} /><//>`;
}
