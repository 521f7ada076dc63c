// The monthly scorecard (一体化考核): a unit's ranking of members, zones or branches; one card
// with every record behind each point; honours proposed by the ranking, confirmed by supervisors.
import { useState } from 'preact/hooks';
import { post, query } from '../../api.js';
import { t } from '../../i18n/index.js';
import { dataChanged, showToast, useStore } from '../../store.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Clamped, Empty, ErrorNote, Loading, Section, StaleNote } from '../../ui/kit.js';
import { problemText } from '../../problems.js';
import { navigate } from '../../router.js';

const KINDS = ['member', 'zone', 'branch'];
// The order of the items on a card (the server's JSON has its keys sorted).
const ITEMS = [
  'found_general', 'found_major', 'fixed_on_time', 'fixed_late', 'overdue_day',
  'patrol_done', 'patrol_missed', 'checkin_day', 'party_day', 'rejected_report',
];
// Where a record opens, for the kinds of record that have a screen.
const HREF = { hazard: (r) => `/hazards/${r.id}`, party_day: (r) => `/party-days/${r.id}`, zone: (r) => `/zones/${r.id}` };

export function lastMonth(now = new Date()) {
  const date = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

function Score({ value }) {
  return html`<span class=${value < 0 ? 'score negative' : 'score'}>${value}</span>`;
}

function cardHref(row, month) {
  if (row.kind === 'zone') return `/scorecards/zones/${row.zone_id}?month=${month}`;
  if (row.kind === 'member') return `/scorecards/members/${row.user_id}?month=${month}`;
  return null;
}

function Honours({ board, unitId }) {
  const user = useStore((s) => s.user);
  if (!board.proposals.length) return null;
  async function confirmHonour(proposal) {
    const subject = proposal.title === 'excellent_member' ? { user_id: Number(proposal.key) } : { branch: proposal.key };
    try {
      await post('/honours', { title: proposal.title, month: board.month, unit_id: Number(unitId), ...subject });
      showToast(t('score.honour_confirmed'), 'success');
      dataChanged(); // the proposals and the history below both ask again
    } catch (caught) {
      showToast(problemText(caught), 'error');
    }
  }
  return html`<${Section} title=${t('score.proposals')}>
    <ul class="rows">${board.proposals.map((p) => html`<li key=${p.title + p.key}>
      <span><strong>${p.name}</strong> <span class="small muted">${t(`score.honour.${p.title}`)} · ${t('score.rank_n', { n: p.rank })}</span></span>
      ${p.confirmed
        ? html`<span class="badge status-closed">${t('score.honour_done')}</span>`
        : user.may?.includes('confirm_honours') && board.month_over && html`<button class="button small" onClick=${() => confirmHonour(p)}>${t('score.confirm_honour')}</button>`}
    </li>`)}</ul>
    ${!board.month_over && html`<p class="small muted">${t('score.month_running')}</p>`}
  <//>`;
}

function HonourHistory({ unitId }) {
  const honours = useApi(unitId ? `/honours?unit_id=${unitId}` : '/honours');
  const items = honours.data?.items || [];
  return html`<${Section} title=${t('score.honours')}>
    ${items.length ? html`<ul class="rows">${items.map((h) => html`<li key=${h.id}>
      <span><strong>${h.user?.name || h.branch}</strong> <span class="small muted">${h.month} · ${t(`score.honour.${h.title}`)}</span></span>
      <span class="small">${h.score}</span></li>`)}</ul>` : html`<${Empty} text=${t('common.none')} />`}
  <//>`;
}

/** The rankings for those who supervise; anyone else opening them sees their own card. */
export function Scorecards({ initial = {} }) {
  const user = useStore((s) => s.user);
  if (!user.may?.includes('supervise')) {
    return user.is_party_member
      ? html`<${ScoreCard} kind="members" id=${user.id} month=${initial.month} />`
      : html`<${Empty} text=${t('score.members_only')} />`;
  }
  return html`<${Rankings} initial=${initial} />`;
}

function Rankings({ initial }) {
  const user = useStore((s) => s.user);
  const pickUnit = user.may?.includes('manage_accounts'); // the unit list is theirs (GET /units)
  const units = useApi(pickUnit ? '/units' : null);
  const [unitId, setUnitId] = useState(initial.unit_id || String(user.unit.id));
  const [month, setMonth] = useState(initial.month || lastMonth());
  const [kind, setKind] = useState(initial.kind || 'member');
  const board = useApi(`/scorecards${query({ unit_id: unitId, month, kind })}`);
  const data = board.data;
  const exportQuery = query({ unit_id: unitId, month });
  return html`<div class="filters">
      ${pickUnit && html`<select value=${unitId} onChange=${(e) => setUnitId(e.target.value)}>
        ${(units.data?.items || []).map((u) => html`<option key=${u.id} value=${u.id}>${u.name}</option>`)}</select>`}
      <input type="month" value=${month} onInput=${(e) => e.target.value && setMonth(e.target.value)} />
      <div class="chips">${KINDS.map((k) => html`<button class=${k === kind ? 'chip on' : 'chip'} key=${k} onClick=${() => setKind(k)}>${t(`score.kind.${k}`)}</button>`)}</div>
    </div>
    <${StaleNote} stale=${board.stale} />
    <${ErrorNote} error=${board.error} onRetry=${board.reload} />
    ${board.loading && !data && html`<${Loading} />`}
    ${data && html`<table class="table">
        <thead><tr><th>${t('score.name')}</th><th>${t('score.rank')}</th><th>${t('score.score')}</th></tr></thead>
        <tbody>${data.rows.map((row) => {
          const href = cardHref(row, month);
          return html`<tr key=${row.key}>
            <td>${href ? html`<a href=${href}><${Clamped} text=${row.name} /></a>` : html`<${Clamped} text=${row.name} />`}
              <${Clamped} class="small muted" text=${row.kind === 'zone' ? row.head_name : row.kind === 'branch' ? t('score.members', { n: row.member_count }) : row.branch || ''} /></td>
            <td>${row.rank}</td><td><${Score} value=${row.score} /></td></tr>`;
        })}</tbody>
      </table>
      ${!data.rows.length && html`<${Empty} text=${t('common.none')} />`}
      <${Weights} weights=${data.weights} />
      <${Honours} board=${data} unitId=${unitId} />
      <div class="actions-row">
        <a class="button small" href=${`/api/v1/scorecards/export.csv${exportQuery}`} download data-external>CSV</a>
        <a class="button small" href=${`/api/v1/scorecards/export.xlsx${exportQuery}`} download data-external>Excel</a>
      </div>`}
    <${HonourHistory} unitId=${unitId} />`;
}

function Weights({ weights }) {
  return html`<details><summary class="small">${t('score.weights')}</summary>
    <ul class="rows">${ITEMS.map((item) => html`<li key=${item}><span>${t(`score.items.${item}`)}</span><span class="small">${weights[item] > 0 ? '+' : ''}${weights[item]}</span></li>`)}</ul>
  </details>`;
}

/** One card: each item's count × weight = points, and the records behind it. */
export function ScoreCard({ kind, id, month: asked }) {
  const month = asked || lastMonth();
  const card = useApi(`/scorecards/${kind}/${id}?month=${month}`);
  if (card.loading && !card.data) return html`<${Loading} />`;
  if (!card.data) return html`<${ErrorNote} error=${card.error} onRetry=${card.reload} />`;
  const c = card.data;
  // Another month replaces this screen (its route is keyed by the month).
  const pick = (value) => value && navigate(`/scorecards/${kind}/${id}?month=${value}`, { replace: true });
  return html`<${StaleNote} stale=${card.stale} />
    <label class="field"><span class="field-label">${t('score.month')}</span>
      <input type="month" value=${month} onChange=${(e) => pick(e.target.value)} /></label>
    <div class="place">
      <p class="code">${c.month}${c.branch ? ` · ${c.branch}` : ''}${c.head_name ? ` · ${c.head_name}` : ''}</p>
      <h2>${c.name}</h2>
      <p>${t('score.score')}：<${Score} value=${c.score} /></p>
    </div>
    <ul class="rows">${ITEMS.map((item) => [item, c.items[item]]).map(([item, entry]) => html`<li key=${item}>
      <span>${t(`score.items.${item}`)}<br /><span class="small muted">${entry.count} × ${entry.weight}</span></span>
      <strong>${entry.points}</strong>
      ${entry.records.length > 0 && html`<ul class="records">${entry.records.map((r, index) => {
        const href = HREF[r.kind]?.(r);
        const text = r.label ?? t(`score.${r.kind}`); // no label: a hazard outside the viewer's scope
        const label = r.count > 1 ? `${text} (${t('common.days', { n: r.count })})` : text;
        return html`<li key=${index}>${href ? html`<a href=${href}>${label}</a>` : label}</li>`;
      })}</ul>`}
    </li>`)}</ul>`;
}
