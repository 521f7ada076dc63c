// The hazard list with filters and endless scroll over the server's cursor; for those who
// supervise, the ledger (台账) of exactly what the filters show, as Excel or CSV.
import { useState } from 'preact/hooks';
import { query } from '../../api.js';
import { STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { usePages } from '../../ui/data.js';
import { HazardList } from '../../ui/hazard-card.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Sentinel } from '../../ui/kit.js';

export function List({ initial = {} }) {
  const [filters, setFilters] = useState(() => ({
    status: [].concat(initial.status || []),
    overdue: initial.overdue === 'true',
    mine: initial.assignee === 'me',
    q: initial.q || '',
    rest: Object.fromEntries(Object.entries(initial).filter(([k]) => !['status', 'overdue', 'assignee', 'q'].includes(k))),
  }));
  const params = {
    ...filters.rest,
    status: filters.status,
    overdue: filters.overdue || undefined,
    assignee: filters.mine ? 'me' : undefined,
    q: filters.q.trim() || undefined,
  };
  const pages = usePages((cursor) => `/hazards${query({ ...params, limit: 20, cursor })}`);
  const exportable = useStore((s) => s.user?.may?.includes('supervise') && s.online);
  const toggle = (status) =>
    setFilters((f) => ({ ...f, status: f.status.includes(status) ? f.status.filter((s) => s !== status) : [...f.status, status] }));
  return html`<div class="filters">
      <input type="search" placeholder=${t('list.search')} value=${filters.q} maxlength="100"
        onChange=${(e) => setFilters((f) => ({ ...f, q: e.target.value }))} />
      <div class="chips">
        ${STATUSES.map(
          (s) => html`<button key=${s} type="button" aria-pressed=${filters.status.includes(s)}
            class=${filters.status.includes(s) ? 'chip on' : 'chip'} onClick=${() => toggle(s)}>${t(`status.${s}`)}</button>`,
        )}
        <button type="button" class=${filters.overdue ? 'chip on' : 'chip'} aria-pressed=${filters.overdue}
          onClick=${() => setFilters((f) => ({ ...f, overdue: !f.overdue }))}>${t('list.filter_overdue')}</button>
        <button type="button" class=${filters.mine ? 'chip on' : 'chip'} aria-pressed=${filters.mine}
          onClick=${() => setFilters((f) => ({ ...f, mine: !f.mine }))}>${t('list.filter_mine')}</button>
      </div>
    </div>
    ${exportable && html`<div class="actions-row ledger-export">
      <a class="button small" href=${`/api/v1/hazards/export.xlsx${query(params)}`} download>${t('list.export_xlsx')}</a>
      <a class="button small" href=${`/api/v1/hazards/export.csv${query(params)}`} download>${t('list.export_csv')}</a>
    </div>`}
    <${ErrorNote} error=${pages.error} onRetry=${() => pages.more()} />
    <${HazardList} items=${pages.items} />
    ${!pages.loading && !pages.items.length && !pages.error && html`<${Empty} text=${t('list.empty')} />`}
    ${pages.done
      ? pages.items.length > 0 && html`<p class="muted center small">${t('list.end')}</p>`
      : html`<${Sentinel} onVisible=${() => pages.more()} />`}`;
}
