// The hazard list's filters: search, status chips, and behind "more" the zone, category, level
// and reporting dates. The state is the API's own query (DESIGN §5), so the list, the links the
// dashboard makes and the ledger export all read the same parameters.
import { useEffect, useState } from 'preact/hooks';
import { query } from '../../api.js';
import { CATEGORIES, LEVELS, STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';

const MORE = ['zone_id', 'category', 'level', 'from', 'to'];

/** A local calendar day (YYYY-MM-DD) from an ISO time, or '' when absent. */
function dayOf(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight of a YYYY-MM-DD day, `plus` days later, as ISO: the list's half-open bounds. */
function midnight(day, plus = 0) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plus).toISOString();
}

/** Filters from the route's query: what the dashboard's links and a shared address carry. */
export function filtersFrom(initial) {
  return {
    ...initial,
    status: [].concat(initial.status || []),
    level: [].concat(initial.level || []),
    category: [].concat(initial.category || []),
    overdue: initial.overdue === 'true' || undefined,
    assignee: initial.assignee === 'me' ? 'me' : undefined,
    recurring: initial.recurring === 'true' || undefined,
  };
}

/** How many of the filters behind "more" are set: shown on its summary, opens it when set. */
const moreCount = (f) => MORE.filter((k) => [].concat(f[k] ?? []).length > 0).length;

function Chip({ on, onClick, children }) {
  return html`<button type="button" class=${on ? 'chip on' : 'chip'} aria-pressed=${on} onClick=${onClick}>${children}</button>`;
}

/** The search words: what is typed stays the input's own until Enter or leaving the box sends it,
 * so a render in between (the first page arriving, the signal coming and going) keeps it. */
function SearchBox({ value, onSearch }) {
  const [typed, setTyped] = useState(value || '');
  useEffect(() => setTyped(value || ''), [value]); // the words changed from outside the box
  return html`<input type="search" placeholder=${t('list.search')} value=${typed} maxlength="100"
    onInput=${(e) => setTyped(e.target.value)} onChange=${(e) => onSearch(e.target.value.trim() || undefined)} />`;
}

function ZoneSelect({ value, onChange }) {
  const zones = useApi(`/zones${query({ limit: 200 })}`);
  const items = zones.data?.items || [];
  return html`<label class="field">
    <span class="field-label">${t('report.zone')}</span>
    <select value=${value || ''} onChange=${(e) => onChange(e.target.value || undefined)}>
      <option value="">${t('common.all')}</option>
      ${value && !items.some((z) => String(z.id) === String(value)) && html`<option value=${value}>${t('list.zone_chosen')}</option>`}
      ${items.map((z) => html`<option key=${z.id} value=${z.id}>${z.name}</option>`)}
    </select>
  </label>`;
}

export function HazardFilters({ filters, onChange }) {
  // Updates from the state they change, not from this render's copy: two quick edits both land.
  const set = (key, value) => onChange((f) => ({ ...f, [key]: value }));
  const toggle = (key, value) =>
    onChange((f) => ({ ...f, [key]: f[key].includes(value) ? f[key].filter((v) => v !== value) : [...f[key], value] }));
  const more = moreCount(filters);
  const lastDay = filters.to ? dayOf(midnight(dayOf(filters.to), -1)) : '';
  return html`<div class="filters">
    <${SearchBox} value=${filters.q} onSearch=${(q) => set('q', q)} />
    <div class="chips">
      ${STATUSES.map((s) => html`<${Chip} key=${s} on=${filters.status.includes(s)} onClick=${() => toggle('status', s)}>${t(`status.${s}`)}<//>`)}
      <${Chip} on=${!!filters.overdue} onClick=${() => set('overdue', filters.overdue ? undefined : true)}>${t('list.filter_overdue')}<//>
      <${Chip} on=${!!filters.assignee} onClick=${() => set('assignee', filters.assignee ? undefined : 'me')}>${t('list.filter_mine')}<//>
      <${Chip} on=${!!filters.recurring} onClick=${() => set('recurring', filters.recurring ? undefined : true)}>${t('list.filter_recurring')}<//>
    </div>
    <details class="more-filters" open=${more > 0}>
      <summary>${more ? t('list.more_filters_n', { n: more }) : t('list.more_filters')}</summary>
      <${ZoneSelect} value=${filters.zone_id} onChange=${(v) => set('zone_id', v)} />
      <label class="field">
        <span class="field-label">${t('report.category')}</span>
        <select value=${filters.category[0] || ''} onChange=${(e) => set('category', e.target.value ? [e.target.value] : [])}>
          <option value="">${t('common.all')}</option>
          ${CATEGORIES.map((c) => html`<option key=${c} value=${c}>${t(`category.${c}`)}</option>`)}
        </select>
      </label>
      <div class="chips" role="group" aria-label=${t('list.level')}>
        ${LEVELS.map((l) => html`<${Chip} key=${l} on=${filters.level.includes(l)} onClick=${() => toggle('level', l)}>${t(`level.${l}`)}<//>`)}
      </div>
      <div class="date-range">
        <label class="field"><span class="field-label">${t('list.reported_from')}</span>
          <input type="date" value=${dayOf(filters.from)} max=${lastDay}
            onChange=${(e) => set('from', e.target.value ? midnight(e.target.value) : undefined)} /></label>
        <label class="field"><span class="field-label">${t('list.reported_to')}</span>
          <input type="date" value=${lastDay} min=${dayOf(filters.from)}
            onChange=${(e) => set('to', e.target.value ? midnight(e.target.value, 1) : undefined)} /></label>
      </div>
      ${more > 0 && html`<button type="button" class="button small ghost"
        onClick=${() => onChange((f) => ({ ...f, zone_id: undefined, category: [], level: [], from: undefined, to: undefined }))}>${t('list.clear_more')}</button>`}
    </details>
  </div>`;
}
