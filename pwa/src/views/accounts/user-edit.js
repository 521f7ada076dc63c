// Admin: change an account — name, phone, role, unit, Party membership and branch, in use or not.
// A zone head or post holder keeps the duty's conditions until replaced: the server says so (409).
import { ROLES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { notReady, useApi } from '../../ui/data.js';
import { EditForm } from '../../ui/edit-form.js';
import { html } from '../../ui/html.js';

export function UserEdit({ id }) {
  const units = useApi('/units');
  const user = useApi(`/users/${id}`);
  const waiting = notReady(units, user);
  if (waiting) return waiting;
  const fields = [
    { name: 'name', label: t('admin.name'), max: 100 },
    { name: 'phone', label: t('admin.phone'), max: 32, optional: true, inputType: 'tel' },
    { name: 'role', label: t('admin.role'), type: 'choice', options: ROLES.map((role) => ({ value: role, label: t(`role.${role}`) })) },
    {
      name: 'unit_id', label: t('admin.unit'), type: 'id', get: (u) => u.unit?.id,
      options: units.data.items.map((unit) => ({ value: String(unit.id), label: unit.name })),
    },
    { name: 'is_party_member', label: t('admin.party_member'), type: 'switch' },
    { name: 'party_branch', label: t('admin.party_branch'), max: 100, optional: true },
    { name: 'active', label: t('admin.in_use'), type: 'switch' },
  ];
  return html`<p class="code">${user.data.username}</p><${EditForm} path=${`/users/${id}`} given=${user.data} fields=${fields} />`;
}
