// The supervisors' dashboard: headline figures, the weekly charts, categories and the per-zone
// table; every number opens the hazard list it counts (the charts' numbers from their tables).
// Offline, the last result, marked as such.
import { useState } from 'preact/hooks';
import { query } from '../../api.js';
import { OPEN_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Clamped, ErrorNote, Loading, Section, StaleNote } from '../../ui/kit.js';
import { CategoryChart, RatesChart, TrendChart } from './dashboard-charts.js';
import { percent } from './figures.js';

/** Midnight (local) `days` ago: stable through the day, so the offline copy matches its URL. */
function isoDaysAgo(days) {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - days).toISOString();
}

function Figure({ label, value, href }) {
  const body = html`<strong>${value}</strong><span>${label}</span>`;
  return href ? html`<a class="figure" href=${href}>${body}</a>` : html`<div class="figure">${body}</div>`;
}

export function Dashboard() {
  const [days, setDays] = useState(30);
  const [unitId, setUnitId] = useState('');
  const [sort, setSort] = useState('overdue');
  const since = isoDaysAgo(days);
  const data = useApi(`/dashboard/summary${query({ from: since, unit_id: unitId })}`);
  const units = data.data?.units || [];
  if (!data.data) return data.loading ? html`<${Loading} />` : html`<${ErrorNote} error=${data.error} onRetry=${data.reload} />`;
  const d = data.data;
  const list = (params) => `/hazards${query(params)}`;
  const zones = [...d.zones].sort((a, b) => b[sort] - a[sort]);
  return html`<${StaleNote} stale=${data.stale} />
    <a class="button block" href="/reports/monthly">${t('monthly.title')}</a>
    <div class="filters">
      <div class="segmented">${[7, 30, 90, 365].map(
        (n) => html`<button type="button" key=${n} class=${days === n ? 'selected' : ''} onClick=${() => setDays(n)}>${t('common.days', { n })}</button>`,
      )}</div>
      <select value=${unitId} onChange=${(e) => setUnitId(e.target.value)} aria-label=${t('admin.unit')}>
        <option value="">${t('dashboard.all_units')}</option>
        ${units.map((u) => html`<option key=${u.id} value=${u.id}>${u.name}</option>`)}
      </select>
    </div>
    <div class="figures">
      <${Figure} label=${t('dashboard.reported')} value=${d.reported} href=${list({ from: since })} />
      <${Figure} label=${t('dashboard.repeats')} value=${d.repeats} href=${list({ recurring: true, from: since })} />
      <${Figure} label=${t('dashboard.open')} value=${d.open} href=${list({ status: OPEN_STATUSES })} />
      <${Figure} label=${t('dashboard.overdue')} value=${d.overdue} href=${list({ overdue: true })} />
      <${Figure} label=${t('dashboard.rectification_rate')} value=${percent(d.rectification_rate)} href=${list({ status: 'closed', from: since })} />
      <${Figure} label=${t('dashboard.on_time_rate')} value=${percent(d.on_time_rate)} />
      <${Figure} label=${t('dashboard.median_days')} value=${d.median_days_to_close ?? '—'} />
      <${Figure} label=${t('dashboard.patrol_compliance')} value=${percent(d.patrol_compliance)} />
      <${Figure} label=${t('dashboard.checkin_rate')} value=${percent(d.checkin_rate)} />
    </div>
    <${TrendChart} weeks=${d.weekly_trend} />
    <${RatesChart} weeks=${d.weekly_trend} summary=${d} />
    <${CategoryChart} counts=${d.by_category} since=${since} />
    <${Section} title=${t('dashboard.zones')}>
      <div class="chips">${['overdue', 'open', 'reported', 'closed'].map(
        (key) => html`<button type="button" key=${key} class=${sort === key ? 'chip on' : 'chip'} onClick=${() => setSort(key)}>${t(`dashboard.${key}`)}</button>`,
      )}</div>
      <table class="table">
        <thead><tr><th>${t('report.zone')}</th><th>${t('dashboard.open')}</th><th>${t('dashboard.overdue')}</th><th>${t('dashboard.reported')}</th></tr></thead>
        <tbody>${zones.map(
          (z) => html`<tr key=${z.id}>
            <td><a href=${list({ zone_id: z.id })}><${Clamped} text=${z.name} /></a>
              <${Clamped} class="muted small" text=${`${z.head_name}${z.patrol_due ? ` · ${t('zone.patrol_due')}` : ''}`} /></td>
            <td><a href=${list({ zone_id: z.id, status: OPEN_STATUSES })}>${z.open}</a></td>
            <td class=${z.overdue ? 'hot' : ''}><a href=${list({ zone_id: z.id, overdue: true })}>${z.overdue}</a></td>
            <td>${z.reported}</td>
          </tr>`,
        )}</tbody>
      </table>
    <//>`;
}
