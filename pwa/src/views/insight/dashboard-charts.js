// The dashboard's three charts, each with a legend that names its marks by shape as well as
// colour, and its figures as a table (显示数据表) for screen readers and exact reading. The
// drawing code and uPlot load only when a chart is first shown (charts.js, a chunk of its own).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { query } from '../../api.js';
import { t } from '../../i18n/index.js';
import { html } from '../../ui/html.js';
import { Note, Section } from '../../ui/kit.js';
import { percent, weekLabel } from './figures.js';

const list = (params) => `/hazards${query(params)}`;

/** One chart: drawn once the chart chunk is in, again when `input` changes; if the chunk cannot
 * load (offline before it was ever cached), the table below still has every figure. */
function Chart({ kind, input, label, keys, children }) {
  const element = useRef(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let remove = null;
    let gone = false;
    import('./charts.js')
      .then(({ drawChart }) => {
        if (!gone) remove = drawChart(element.current, kind, input, label);
      })
      .catch(() => setFailed(true));
    return () => {
      gone = true;
      remove?.();
    };
  }, [kind, input, label]);
  return html`${keys && html`<ul class="chart-keys">${keys.map(([look, text]) => html`<li key=${look}><span class=${`chart-key ${look}`}></span>${text}</li>`)}</ul>`}
    <div class="chart" ref=${element}></div>
    ${failed && html`<${Note} tone="warn">${t('dashboard.chart_failed')}<//>`}
    <details class="chart-data"><summary>${t('dashboard.show_table')}</summary>${children}</details>`;
}

function Table({ head, rows }) {
  return html`<table class="table">
    <thead><tr>${head.map((text) => html`<th scope="col" key=${text}>${text}</th>`)}</tr></thead>
    <tbody>${rows.map(([key, first, ...cells]) => html`<tr key=${key}><th scope="row">${first}</th>${cells.map((cell, i) => html`<td key=${i}>${cell}</td>`)}</tr>`)}</tbody>
  </table>`;
}

export function TrendChart({ weeks }) {
  const sum = (name) => weeks.reduce((total, week) => total + week[name], 0);
  const label = t('dashboard.chart_trend', { weeks: weeks.length, reported: sum('reported'), closed: sum('closed') });
  const rows = weeks.map((w) => [w.week, weekLabel(w.week, 'table'), html`<a href=${list({ from: w.week })}>${w.reported}</a>`, w.closed]);
  return html`<${Section} title=${t('dashboard.trend')}>
    <${Chart} kind="trend" input=${weeks} label=${label} keys=${[['bar', t('dashboard.key_reported')], ['dashed', t('dashboard.key_closed')]]}>
      <${Table} head=${[t('dashboard.week'), t('dashboard.reported'), t('dashboard.closed')]} rows=${rows} />
    <//>
  <//>`;
}

export function RatesChart({ weeks, summary }) {
  const label = t('dashboard.chart_rates', { weeks: weeks.length, rectification: percent(summary.rectification_rate), on_time: percent(summary.on_time_rate) });
  const rows = weeks.map((w) => [w.week, weekLabel(w.week, 'table'), percent(w.rectification_rate), percent(w.on_time_rate)]);
  return html`<${Section} title=${t('dashboard.rates')}>
    <${Chart} kind="rates" input=${weeks} label=${label} keys=${[['solid', t('dashboard.key_rectification')], ['dashed', t('dashboard.key_on_time')]]}>
      <${Table} head=${[t('dashboard.week'), t('dashboard.rectification_rate'), t('dashboard.on_time_rate')]} rows=${rows} />
    <//>
    <p class="muted small">${t('dashboard.rates_note')}</p>
  <//>`;
}

/** Categories, most reported first (the chart's order and the table's). */
export function CategoryChart({ counts, since }) {
  const rows = useMemo(
    () => Object.entries(counts).sort(([, a], [, b]) => b - a).map(([category, count]) => [t(`category.${category}`), count, category]),
    [counts],
  );
  const named = rows.filter(([, count]) => count).map(([name, count]) => `${name} ${count}`);
  const label = t('dashboard.chart_categories', { counts: named.join('，') || t('dashboard.none') });
  return html`<${Section} title=${t('dashboard.categories')}>
    <${Chart} kind="categories" input=${rows} label=${label}>
      <${Table} head=${[t('dashboard.category'), t('dashboard.reported')]}
        rows=${rows.map(([name, count, category]) => [category, name, html`<a href=${list({ category, from: since })}>${count}</a>`])} />
    <//>
  <//>`;
}
