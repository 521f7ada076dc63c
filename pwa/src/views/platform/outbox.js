// The outbox: what waits to be sent, what is sending (each photo's progress), what failed and why
// (retry, edit, discard), and what was sent: the hazard's number, linked, for a day (clear on ask).
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { photosSent, unsent } from '../../outbox.js';
import { flush, outbox } from '../../sync.js';
import { html } from '../../ui/html.js';
import { Empty, Note, formatDateTime } from '../../ui/kit.js';

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function Storage() {
  const [estimate, setEstimate] = useState(null);
  useEffect(() => {
    navigator.storage?.estimate?.().then(setEstimate);
  }, []);
  if (!estimate) return null;
  return html`<p class="muted small">${t('outbox.storage', { used: megabytes(estimate.usage), quota: megabytes(estimate.quota) })}</p>`;
}

function label(item) {
  const body = item.request.body;
  if (item.kind === 'hazard') return body.title;
  if (item.kind === 'action') return t(`action.${item.request.path.split('/').pop()}`);
  return '';
}

/** "x / y photos sent", and while sending, one bar per photo. */
function Photos({ item }) {
  const uploads = useStore((s) => s.uploads);
  const { sent, total } = photosSent(item);
  return html`<p class="muted small photos-sent">${t('outbox.photos_sent', { sent, total })}</p>
    ${item.state === 'sending' &&
    html`<div class="photo-progress">${item.photos.map((p, i) => html`<progress max="1" value=${p.serverId ? 1 : uploads[p.uuid] || 0}
      aria-label=${t('outbox.photo_progress', { n: i + 1 })}></progress>`)}</div>`}`;
}

function Item({ item }) {
  async function discard() {
    if (confirm(t('outbox.discard_confirm'))) await outbox.discard(item.id);
  }
  // A 5xx is the server's trouble, not the item's: it waits and is retried, and says so.
  const serverTrouble = item.state === 'waiting' && item.error?.status >= 500;
  const state =
    item.state === 'failed'
      ? t('outbox.failed', { reason: item.error?.message || '' })
      : serverTrouble ? t('outbox.server_retry') : t(`outbox.${item.state}`);
  return html`<li class=${`outbox-item state-${item.state}`}>
    <div>
      <strong>${t(`outbox.kind.${item.kind}`)}</strong> ${label(item)}
      <p class="muted small">${formatDateTime(new Date(item.createdAt).toISOString())}</p>
      ${item.photos.length > 0 && html`<${Photos} item=${item} />`}
      <p class=${`state state-${item.state}`}>${state}</p>
      ${item.hazard && html`<a class="sent-hazard" href=${`/hazards/${item.hazard.id}`}>${t('outbox.open_hazard', { number: item.hazard.number })}</a>`}
    </div>
    ${item.state === 'failed' &&
    html`<div class="actions-row">
      <button class="button small" onClick=${() => outbox.retry(item.id).then(() => flush())}>${t('common.retry')}</button>
      ${item.kind === 'hazard' && html`<a class="button small" href=${`/outbox/${item.id}/edit`}>${t('outbox.edit')}</a>`}
      <button class="button small danger" onClick=${discard}>${t('outbox.discard')}</button>
    </div>`}
  </li>`;
}

export function Outbox() {
  const items = useStore((s) => s.outbox);
  const online = useStore((s) => s.online);
  const userId = useStore((s) => s.user?.id);
  const waiting = items.some(unsent);
  const sent = items.some((i) => i.state === 'sent');
  return html`${waiting && online && html`<button class="button block" onClick=${() => flush({ force: true })}>${t('outbox.send_now')}</button>`}
    ${!online && html`<${Note} tone="warn">${t('net.offline_hint')}<//>`}
    ${items.length ? html`<ul class="outbox">${items.map((item) => html`<${Item} key=${item.id} item=${item} />`)}</ul>` : html`<${Empty} text=${t('outbox.empty')} />`}
    ${sent && html`<p class="muted small">${t('outbox.sent_kept')}</p>
      <button class="button block" onClick=${() => outbox.clearSent(userId)}>${t('outbox.clear_sent')}</button>`}
    <${Storage} />`;
}
