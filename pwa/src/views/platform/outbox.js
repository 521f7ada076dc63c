// The outbox: what waits to be sent, what is sending, what failed and why; retry, edit, discard.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
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

function Item({ item }) {
  async function discard() {
    if (confirm(t('outbox.discard_confirm'))) await outbox.discard(item.id);
  }
  const state =
    item.state === 'failed' ? t('outbox.failed', { reason: item.error?.message || '' }) : t(`outbox.${item.state}`);
  return html`<li class=${`outbox-item state-${item.state}`}>
    <div>
      <strong>${t(`outbox.kind.${item.kind}`)}</strong> ${label(item)}
      <p class="muted small">${formatDateTime(new Date(item.createdAt).toISOString())}
        ${item.photos.length > 0 && ` · ${t('outbox.photos', { n: item.photos.length })}`}</p>
      <p class=${`state state-${item.state}`}>${state}</p>
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
  const waiting = items.some((i) => i.state === 'waiting');
  return html`${waiting && online && html`<button class="button block" onClick=${() => flush({ force: true })}>${t('outbox.send_now')}</button>`}
    ${!online && html`<${Note} tone="warn">${t('net.offline_hint')}<//>`}
    ${items.length ? html`<ul class="outbox">${items.map((item) => html`<${Item} key=${item.id} item=${item} />`)}</ul>` : html`<${Empty} text=${t('outbox.empty')} />`}
    <${Storage} />`;
}
