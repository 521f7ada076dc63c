// A zone: who heads it, what it covers, what is already reported there, and what to do next.
import { query } from '../../api.js';
import { OPEN_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useApi } from '../../ui/data.js';
import { HazardList } from '../../ui/hazard-card.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Loading, Note, Section, StaleNote, formatDateTime } from '../../ui/kit.js';

export function Zone({ id }) {
  const zone = useApi(`/zones/${id}`);
  const open = useApi(`/hazards${query({ zone_id: id, status: OPEN_STATUSES, limit: 20 })}`);
  if (zone.loading && !zone.data) return html`<${Loading} />`;
  if (!zone.data) return html`<${ErrorNote} error=${zone.error} onRetry=${zone.reload} />`;
  const z = zone.data;
  // An answer cached before the server said what the caller may do: reporting is everyone's.
  const actions = z.allowed_actions || ['report'];
  return html`<${StaleNote} stale=${zone.stale} />
    <div class="place">
      <p class="code">${z.code}</p>
      <h2>${z.name}</h2>
      <p>${t('zone.head')}：<strong>${z.head.name}</strong>
        ${z.head.phone && html` <a class="button small" href=${`tel:${z.head.phone}`} data-external>${t('common.call')} ${z.head.phone}</a>`}</p>
      <p class="badges">
        <span class="badge">${t('zone.open_count', { n: z.open_count })}</span>
        ${z.overdue_count > 0 && html`<span class="badge overdue">${t('zone.overdue_count', { n: z.overdue_count })}</span>`}
        <span class="badge">${z.last_patrol_at ? t('zone.last_patrol', { date: formatDateTime(z.last_patrol_at) }) : t('zone.never_patrolled')}</span>
      </p>
      ${z.responsibilities && html`<p class="text"><span class="muted">${t('zone.responsibilities')}：</span>${z.responsibilities}</p>`}
    </div>
    ${!z.active && html`<${Note}>${t('zone.inactive')}<//>`}
    <div class="actions-row">
      ${actions.includes('report') && html`<a class="button primary big" href=${`/zones/${id}/report`}>${t('zone.report')}</a>`}
      ${actions.includes('patrol') && html`<a class="button big" href=${`/zones/${id}/patrol`}>${t('zone.patrol')}</a>`}
    </div>
    <${Section} title=${t('zone.open_hazards')}>
      ${open.data?.items?.length ? html`<${HazardList} items=${open.data.items} />` : html`<${Empty} text=${t('common.none')} />`}
    <//>`;
}

/** Choosing a zone by hand when there is no sign to scan. */
export function Zones() {
  const zones = useApi('/zones?active=true&limit=200');
  return html`<${StaleNote} stale=${zones.stale} />
    <div class="cards">
      ${(zones.data?.items || []).map(
        (zone) => html`<a class="card" key=${zone.id} href=${`/zones/${zone.id}`}>
          <span class="card-body"><strong>${zone.name}</strong><span class="small muted">${zone.code} · ${zone.head.name}</span></span>
        </a>`,
      )}
    </div>`;
}
