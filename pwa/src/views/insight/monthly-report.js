// The monthly safety report (月度安全分析) of a unit, for the Party committee's meeting: the
// month's figures against the month before, the dashboard's charts, the longest overdue hazards,
// repeated categories, patrols and check-ins, the Party members' contributions. Printed on A4
// from the browser (styles.css, @media print); every figure is defined by the server
// (services/insight/monthly_report.py).
import { useState } from 'preact/hooks';
import { query } from '../../api.js';
import { getLocale, t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Clamped, Empty, ErrorNote, Loading, Section, StaleNote } from '../../ui/kit.js';
import { lastMonth } from '../party/scorecards.js';
import { CategoryChart, TrendChart } from './dashboard-charts.js';
import { percent } from './figures.js';

// Each headline figure and its label (the dashboard's where it has one).
const HEADLINE = { reported: 'dashboard', confirmed: 'monthly', closed: 'dashboard', closed_on_time: 'monthly', overdue: 'monthly' };
const RATES = ['rectification_rate', 'on_time_rate'];

function Headline({ report }) {
  const before = report.previous;
  const figure = (key, label, value, previous) => html`<div class="figure" key=${key} data-figure=${key}>
    <strong>${value}</strong><span>${t(label)}</span>
    <span class="small">${t('monthly.previous', { value: previous })}</span>
  </div>`;
  return html`<div class="figures">
    ${Object.entries(HEADLINE).map(([key, group]) => figure(key, `${group}.${key}`, report[key], before[key]))}
    ${RATES.map((key) => figure(key, `dashboard.${key}`, percent(report[key]), percent(before[key])))}
  </div>`;
}

function Table({ head, rows, empty }) {
  if (!rows.length) return html`<${Empty} text=${empty || t('common.none')} />`;
  return html`<table class="table">
    <thead><tr>${head.map((text) => html`<th scope="col" key=${text}>${text}</th>`)}</tr></thead>
    <tbody>${rows.map(([key, ...cells]) => html`<tr key=${key}>${cells.map((cell, i) => html`<td key=${i}>${cell}</td>`)}</tr>`)}</tbody>
  </table>`;
}

function Worst({ hazards }) {
  const rows = hazards.map((h) => [
    h.id,
    html`<a href=${`/hazards/${h.id}`}>${h.number}</a><${Clamped} text=${h.title} /><${Clamped} class="small muted" text=${`${h.zone} · ${h.assignee_name || '—'}`} />`,
    h.days_overdue,
  ]);
  return html`<${Section} title=${t('monthly.worst')}>
    <${Table} head=${[t('monthly.hazard'), t('monthly.days_overdue')]} rows=${rows} />
  <//>`;
}

function Repeats({ repeats }) {
  const rows = repeats.map((r) => [`${r.zone_id}-${r.category}`, html`<${Clamped} text=${r.zone} />`, t(`category.${r.category}`), r.count]);
  return html`<${Section} title=${t('monthly.repeats')}>
    <p class="small muted">${t('monthly.repeats_note')}</p>
    <${Table} head=${[t('report.zone'), t('dashboard.category'), t('monthly.times')]} rows=${rows} />
  <//>`;
}

function Compliance({ patrols, checkins }) {
  const patrolRows = patrols.map((p) => [p.zone_id, html`<${Clamped} text=${p.zone} /><${Clamped} class="small muted" text=${`${p.head_name} · ${t('monthly.every', { n: p.interval_days })}`} />`, `${p.done}/${p.due}`, percent(p.rate)]);
  const checkinRows = checkins.map((c) => [c.post_id, html`<${Clamped} text=${c.post} />`, `${c.days}/${c.of}`, percent(c.rate)]);
  return html`<${Section} title=${t('monthly.patrols')}>
      <${Table} head=${[t('report.zone'), t('monthly.done_of_due'), t('monthly.rate')]} rows=${patrolRows} />
    <//>
    <${Section} title=${t('monthly.checkins')}>
      <${Table} head=${[t('monthly.post'), t('monthly.days_of'), t('monthly.rate')]} rows=${checkinRows} />
    <//>`;
}

function Members({ members }) {
  const rows = members.map((m) => {
    const c = m.counts;
    return [m.user_id, html`<${Clamped} text=${`${m.rank}. ${m.name}`} /><${Clamped} class="small muted" text=${m.branch || ''} />`,
      m.score, c.found_general + c.found_major, c.fixed_on_time + c.fixed_late, c.patrol_done, c.checkin_day];
  });
  return html`<${Section} title=${t('monthly.members')}>
    <${Table} head=${[t('score.name'), t('score.score'), t('monthly.found'), t('monthly.fixed'), t('monthly.patrolled'), t('monthly.checked_in')]} rows=${rows} />
  <//>`;
}

export function MonthlyReport({ initial = {} }) {
  const user = useStore((s) => s.user);
  const pickUnit = user.may?.includes('manage_accounts'); // the unit list is theirs (GET /units)
  const units = useApi(pickUnit ? '/units' : null);
  const [picked, setUnitId] = useState(initial.unit_id || String(user.unit?.id ?? ''));
  const unitId = picked || String(units.data?.items?.[0]?.id ?? ''); // an admin without a unit: the first
  const [month, setMonth] = useState(initial.month || lastMonth());
  const answer = useApi(unitId ? `/reports/monthly${query({ unit_id: unitId, month })}` : null);
  const report = answer.data;
  return html`<div class="filters no-print">
      ${pickUnit && html`<select value=${unitId} onChange=${(e) => setUnitId(e.target.value)} aria-label=${t('admin.unit')}>
        ${(units.data?.items || []).map((u) => html`<option key=${u.id} value=${u.id}>${u.name}</option>`)}</select>`}
      <input type="month" value=${month} aria-label=${t('score.month')} onInput=${(e) => e.target.value && setMonth(e.target.value)} />
      <button type="button" class="button primary" onClick=${() => window.print()} disabled=${!report}>${t('monthly.print')}</button>
    </div>
    <${StaleNote} stale=${answer.stale} />
    <${ErrorNote} error=${answer.error} onRetry=${answer.reload} />
    ${answer.loading && !report && html`<${Loading} />`}
    ${report && html`<article class="report">
      <header class="report-title">
        <h2>${report.unit.name} ${t('monthly.title')}</h2>
        <p>${t('monthly.of_month', { month: report.month })} · ${t('monthly.generated', { at: new Date().toLocaleString(getLocale()) })}</p>
        ${!report.month_over && html`<p class="small muted">${t('monthly.running')}</p>`}
      </header>
      <${Section} title=${t('monthly.figures')}><${Headline} report=${report} /><//>
      <${TrendChart} weeks=${report.weeks.map((w) => ({ ...w, week: w.first }))} />
      <${CategoryChart} counts=${report.by_category} since=${`${report.month}-01`} />
      <${Worst} hazards=${report.worst_overdue} />
      <${Repeats} repeats=${report.repeats} />
      <${Compliance} patrols=${report.patrols} checkins=${report.checkins} />
      <${Members} members=${report.members} />
    </article>`}`;
}
