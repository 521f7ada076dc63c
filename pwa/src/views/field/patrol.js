// A patrol round: tick each item of the zone's checklist, note problems, submit to the outbox.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { showToast } from '../../store.js';
import { enqueue } from '../../sync.js';
import { zoneById } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { ErrorNote, Field, Loading } from '../../ui/kit.js';

function itemLabel(item) {
  const key = `category.${item}`;
  return t(key) === key ? item : t(key);
}

export function Patrol({ zoneId }) {
  // The checklist offline: from a saved answer, else the offline pack.
  const zone = useApi(`/zones/${zoneId}`, { fallback: () => zoneById(offlinePack(), zoneId) });
  const [results, setResults] = useState({});
  const [note, setNote] = useState('');
  if (!zone.data) return zone.error ? html`<${ErrorNote} error=${zone.error} onRetry=${zone.reload} />` : html`<${Loading} />`;
  const items = zone.data.patrol_checklist;
  async function submit(event) {
    event.preventDefault();
    const id = crypto.randomUUID();
    const checklist = items.map((item) => ({ item, ok: results[item] !== false }));
    await enqueue({
      id,
      kind: 'patrol',
      path: '/patrols',
      body: { client_uuid: id, zone_id: Number(zoneId), checklist, client_at: new Date().toISOString(), ...(note ? { note } : {}) },
    });
    showToast(t('patrol.queued'), 'success');
    navigate(`/zones/${zoneId}`, { replace: true });
  }
  return html`<form class="form" onSubmit=${submit}>
    <h2>${zone.data.name}</h2>
    <ul class="checklist">
      ${items.map(
        (item) => html`<li key=${item}>
          <span>${itemLabel(item)}</span>
          <div class="segmented">
            <button type="button" class=${results[item] !== false ? 'selected' : ''} onClick=${() => setResults({ ...results, [item]: true })}>${t('patrol.ok')}</button>
            <button type="button" class=${results[item] === false ? 'selected danger' : ''} onClick=${() => setResults({ ...results, [item]: false })}>${t('patrol.problem')}</button>
          </div>
        </li>`,
      )}
    </ul>
    <${Field} label=${t('patrol.note')}><textarea maxlength="2000" rows="3" value=${note} onInput=${(e) => setNote(e.target.value)}></textarea><//>
    <button class="button primary block big">${t('patrol.submit')}</button>
  </form>`;
}
