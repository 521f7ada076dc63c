// Repeat hazards (重复隐患): what in the same zone looks like the hazard on screen, or like the
// report being written, from the server (services/loop/repeats.py); online only, and quiet when
// there is nothing alike or no signal. A zone head triaging a report rejects it as a duplicate of
// one of them in one tap (with a confirm), through the outbox like every action.
import { useEffect, useState } from 'preact/hooks';
import { get, query } from '../../api.js';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Clamped, Section, StatusBadge } from '../../ui/kit.js';
import { queueAction } from './actions.js';

function Alike({ hazard, children }) {
  return html`<li class="alike">
    <a href=${`/hazards/${hazard.id}`}><span class="code">${hazard.number}</span><${Clamped} text=${hazard.title} /></a>
    <span class="alike-row"><${StatusBadge} status=${hazard.status} />${children}</span>
  </li>`;
}

/** On a hazard's page: its look-alikes; with the right to reject, one tap rejects it as a repeat. */
export function LookAlikes({ hazard, onDone }) {
  const online = useStore((s) => s.online);
  const alike = useApi(online ? `/hazards/${hazard.id}/similar` : null);
  const items = alike.data?.items || [];
  if (!items.length) return null;
  const mayReject = hazard.allowed_actions.includes('reject');
  async function rejectAs(original) {
    if (!confirm(t('repeat.confirm', { number: original.number }))) return;
    await queueAction(hazard, 'reject', { reason: t('repeat.reason', { number: original.number }), duplicate_of: original.id });
    onDone();
  }
  return html`<${Section} title=${t('repeat.title')}>
    <ul class="alikes">${items.map(
      (other) => html`<${Alike} key=${other.id} hazard=${other}>
        ${mayReject && html`<button type="button" class="button small danger" onClick=${() => rejectAs(other)}>${t('repeat.reject')}</button>`}
      <//>`,
    )}</ul>
  <//>`;
}

/** On the report form: hazards of the zone like the one being written, once there is a title. */
export function ReportLookAlikes({ zoneId, category, text }) {
  const online = useStore((s) => s.online);
  const [items, setItems] = useState([]);
  const words = text.trim();
  useEffect(() => {
    if (!online || !zoneId || words.length < 2) return setItems([]);
    let gone = false;
    // asked when typing pauses, not at every key
    const timer = setTimeout(() => {
      get(`/hazards/similar${query({ zone_id: zoneId, category, text: words.slice(0, 2200) })}`).then(
        (answer) => !gone && setItems(answer.items),
        () => !gone && setItems([]),
      );
    }, 600);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [online, zoneId, category, words]);
  if (!items.length) return null;
  return html`<div class="note note-info alike-note" role="status">
    <p>${t('repeat.while_reporting')}</p>
    <ul class="alikes">${items.map((other) => html`<${Alike} key=${other.id} hazard=${other} />`)}</ul>
  </div>`;
}
