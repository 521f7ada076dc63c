// A zone: who heads it, what it covers, what is already reported there, and what to do next.
// With no signal and no saved answer, from the offline pack.
import { NetworkError, query } from '../../api.js';
import { OPEN_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { zoneById, zoneList } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { HazardList } from '../../ui/hazard-card.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Loading, Note, Section, StaleNote, formatDateTime } from '../../ui/kit.js';

/** Offline, the zone's hazards the pack knows: the user's own tasks there. */
function OpenHazards({ open }) {
  if (open.fromPack) {
    return html`<${Section} title=${t('zone.my_tasks_here')}>
      ${open.data.items.length ? html`<${HazardList} items=${open.data.items} />` : null}
      <p class="muted small">${t('zone.open_hazards_offline')}</p>
    <//>`;
  }
  let body = html`<${Empty} text=${t('common.none')} />`;
  if (open.data?.items?.length) body = html`<${HazardList} items=${open.data.items} />`;
  else if (open.error instanceof NetworkError) body = html`<p class="muted small">${t('zone.open_hazards_offline')}</p>`;
  else if (open.error) body = html`<${ErrorNote} error=${open.error} onRetry=${open.reload} />`;
  return html`<${Section} title=${t('zone.open_hazards')}>${body}<//>`;
}

export function Zone({ id }) {
  const zone = useApi(`/zones/${id}`, { fallback: () => zoneById(offlinePack(), id) });
  const open = useApi(`/hazards${query({ zone_id: id, status: OPEN_STATUSES, limit: 20 })}`, {
    fallback: () => offlinePack() && { items: offlinePack().tasks.filter((task) => String(task.zone_id) === String(id)) },
  });
  if (zone.loading && !zone.data) return html`<${Loading} />`;
  if (!zone.data) return html`<${ErrorNote} error=${zone.error} onRetry=${zone.reload} />`;
  const z = zone.data;
  // An answer cached before the server said what the caller may do: reporting is everyone's.
  const actions = z.allowed_actions || ['report'];
  return html`<${StaleNote} stale=${zone.stale} fromPack=${zone.fromPack} />
    <div class="place">
      <p class="code">${z.code}</p>
      <h2>${z.name}</h2>
      <p>${t('zone.head')}：<strong>${z.head.name}</strong>
        ${z.head.phone && html` <a class="button small" href=${`tel:${z.head.phone}`} data-external>${t('common.call')} ${z.head.phone}</a>`}</p>
      <p class="badges">
        <span class="badge">${t('zone.open_count', { n: z.open_count })}</span>
        ${z.overdue_count > 0 && html`<span class="badge overdue">${t('zone.overdue_count', { n: z.overdue_count })}</span>`}
        ${!zone.fromPack && html`<span class="badge">${z.last_patrol_at ? t('zone.last_patrol', { date: formatDateTime(z.last_patrol_at) }) : t('zone.never_patrolled')}</span>`}
      </p>
      ${z.responsibilities && html`<p class="text"><span class="muted">${t('zone.responsibilities')}：</span>${z.responsibilities}</p>`}
    </div>
    ${z.active === false && html`<${Note}>${t('zone.inactive')}<//>`}
    <div class="actions-row">
      ${actions.includes('report') && html`<a class="button primary big" href=${`/zones/${id}/report`}>${t('zone.report')}</a>`}
      ${actions.includes('patrol') && html`<a class="button big" href=${`/zones/${id}/patrol`}>${t('zone.patrol')}</a>`}
    </div>
    <${OpenHazards} open=${open} />`;
}

/** The active zones the user may choose from: the server's list, offline the pack's. */
export function useActiveZones() {
  return useApi('/zones?active=true&limit=200', { fallback: () => offlinePack() && { items: zoneList(offlinePack()) } });
}

/** Choosing a zone by hand when there is no sign to scan. */
export function Zones() {
  const zones = useActiveZones();
  if (zones.loading && !zones.data) return html`<${Loading} />`;
  if (!zones.data) return html`<${ErrorNote} error=${zones.error} onRetry=${zones.reload} />`;
  return html`<${StaleNote} stale=${zones.stale} fromPack=${zones.fromPack} />
    <div class="cards">
      ${(zones.data?.items || []).map(
        (zone) => html`<a class="card" key=${zone.id} href=${`/zones/${zone.id}`}>
          <span class="card-body"><strong>${zone.name}</strong><span class="small muted">${zone.code} · ${zone.head.name}</span></span>
        </a>`,
      )}
    </div>`;
}
