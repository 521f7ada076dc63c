// Admin: change a zone or a post — its name, responsible Party member, location and fence, the
// zone's patrol rules and guest reports, the post's commitment, and whether it is in use.
import { CATEGORIES, GEOFENCE_POLICIES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { notReady, useApi } from '../../ui/data.js';
import { EditForm } from '../../ui/edit-form.js';
import { html } from '../../ui/html.js';

/** People to choose from, the one chosen now included even if the list left them out. */
export function peopleOptions(users, current) {
  const options = users.map((user) => ({ value: String(user.id), label: `${user.name}（${user.username}）` }));
  if (current && !options.some((option) => option.value === String(current.id))) {
    options.unshift({ value: String(current.id), label: current.name });
  }
  return options;
}

// The default checklist is the hazard categories' wire values (server/models/places/zones.py),
// shown by their labels as the patrol screen shows them, and read back the same way.
const categoryLabel = (item) => (CATEGORIES.includes(item) ? t(`category.${item}`) : item);
const categoryOf = (line) => CATEGORIES.find((category) => t(`category.${category}`) === line) || line;

function locationFields() {
  const hint = t('admin.location_hint');
  return [
    { name: 'lat', label: t('admin.lat'), type: 'number', hint },
    { name: 'lng', label: t('admin.lng'), type: 'number' },
    { name: 'radius_m', label: t('admin.radius'), type: 'number', inputMode: 'numeric' },
  ];
}

export function ZoneEdit({ id }) {
  const heads = useApi('/users?role=zone_head&active=true&limit=200');
  const zone = useApi(`/zones/${id}`);
  const waiting = notReady(heads, zone);
  if (waiting) return waiting;
  const fields = [
    { name: 'name', label: t('admin.place_name'), max: 100 },
    { name: 'responsibilities', label: t('zone.responsibilities'), type: 'textarea', max: 2000, optional: true },
    { name: 'head_id', label: t('zone.head'), type: 'id', get: (z) => z.head?.id, options: peopleOptions(heads.data.items, zone.data.head) },
    ...locationFields(),
    { name: 'patrol_interval_days', label: t('admin.patrol_interval'), type: 'number', inputMode: 'numeric' },
    { name: 'patrol_checklist', label: t('admin.checklist'), type: 'lines', rows: 5, hint: t('admin.checklist_hint'), show: categoryLabel, read: categoryOf },
    { name: 'guest_reports', label: t('admin.guest_reports'), type: 'switch' },
    { name: 'active', label: t('admin.in_use'), type: 'switch' },
  ];
  return html`<p class="code">${zone.data.code}</p><${EditForm} path=${`/zones/${id}`} given=${zone.data} fields=${fields} />`;
}

export function PostEdit({ id }) {
  const members = useApi('/users?active=true&limit=200');
  const post = useApi(`/posts/${id}`);
  const waiting = notReady(members, post);
  if (waiting) return waiting;
  const party = members.data.items.filter((user) => user.is_party_member);
  const fields = [
    { name: 'name', label: t('admin.place_name'), max: 100 },
    { name: 'holder_id', label: t('post.holder'), type: 'id', get: (p) => p.holder?.id, options: peopleOptions(party, post.data.holder) },
    { name: 'commitment', label: t('admin.commitment'), type: 'textarea', max: 2000, optional: true },
    ...locationFields(),
    {
      name: 'geofence_policy', label: t('admin.geofence_policy'), type: 'choice',
      options: GEOFENCE_POLICIES.map((policy) => ({ value: policy, label: t(`admin.geofence.${policy}`) })),
    },
    { name: 'active', label: t('admin.in_use'), type: 'switch' },
  ];
  return html`<p class="code">${post.data.code}</p><${EditForm} path=${`/posts/${id}`} given=${post.data} fields=${fields} />`;
}
