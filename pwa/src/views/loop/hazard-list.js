// The hazard list with its filters (hazard-filters.js) and endless scroll over the server's
// cursor; for those who supervise, the ledger (台账) of exactly what the filters show (Excel, CSV).
import { useState } from 'preact/hooks';
import { query } from '../../api.js';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { usePages } from '../../ui/data.js';
import { HazardList } from '../../ui/hazard-card.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Sentinel } from '../../ui/kit.js';
import { HazardFilters, filtersFrom } from './hazard-filters.js';

export function List({ initial = {} }) {
  const [filters, setFilters] = useState(() => filtersFrom(initial));
  const pages = usePages((cursor) => `/hazards${query({ ...filters, limit: 20, cursor })}`);
  const exportable = useStore((s) => s.user?.may?.includes('supervise') && s.online);
  return html`<${HazardFilters} filters=${filters} onChange=${setFilters} />
    ${exportable && html`<div class="actions-row ledger-export">
      <a class="button small" href=${`/api/v1/hazards/export.xlsx${query(filters)}`} download>${t('list.export_xlsx')}</a>
      <a class="button small" href=${`/api/v1/hazards/export.csv${query(filters)}`} download>${t('list.export_csv')}</a>
    </div>`}
    <${ErrorNote} error=${pages.error} onRetry=${() => pages.more()} />
    <${HazardList} items=${pages.items} />
    ${!pages.loading && !pages.items.length && !pages.error && html`<${Empty} text=${t('list.empty')} />`}
    ${pages.done
      ? pages.items.length > 0 && html`<p class="muted center small">${t('list.end')}</p>`
      : html`<${Sentinel} onVisible=${() => pages.more()} />`}`;
}
