// Admin: the messages sent to the outside channels, newest first — waiting, sent, or given up
// (dead) with the last failure's reason — and a dead one sent again at the worker's next run.
import { useState } from 'preact/hooks';
import { post, query } from '../../api.js';
import { DELIVERY_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { problemText } from '../../problems.js';
import { showToast } from '../../store.js';
import { usePages } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Clamped, Empty, ErrorNote, Sentinel, formatDateTime } from '../../ui/kit.js';

function DeliveryRow({ delivery, onRetried }) {
  const [busy, setBusy] = useState(false);
  async function retry() {
    setBusy(true);
    try {
      onRetried(await post(`/deliveries/${delivery.id}/retry`));
    } catch (caught) {
      showToast(problemText(caught), 'error');
    } finally {
      setBusy(false);
    }
  }
  const { channel, status } = delivery;
  return html`<li class="card delivery" data-delivery=${delivery.id} data-status=${status}>
    <span class="delivery-head">
      <span class="badge delivery-${status}">${t(`delivery.status.${status}`)}</span>
      <strong>${channel.name}</strong>
      <span class="muted small">${t(`channel.kind.${channel.kind}`)}</span>
    </span>
    <${Clamped} text=${delivery.text} />
    <span class="muted small">
      ${formatDateTime(delivery.sent_at || delivery.created_at)} · ${t('delivery.attempts', { n: delivery.attempts })}
    </span>
    ${delivery.last_error && status !== 'sent' && html`<span class="small delivery-error">
      ${t(status === 'dead' ? 'delivery.last_error' : 'delivery.previous_error', { error: delivery.last_error })}</span>`}
    ${status === 'dead' && html`<button class="button small" disabled=${busy} onClick=${retry}>${t('delivery.retry')}</button>`}
  </li>`;
}

export function AdminDeliveries({ initial = {} }) {
  const [status, setStatus] = useState(DELIVERY_STATUSES.includes(initial.status) ? initial.status : undefined);
  const pages = usePages((cursor) => `/deliveries${query({ status, limit: 20, cursor })}`);
  // Sent again: shown as the server now has it until the list is asked again.
  const [retried, setRetried] = useState({});
  const chip = (value, label) => html`<button type="button" class=${status === value ? 'chip on' : 'chip'} aria-pressed=${status === value}
    onClick=${() => setStatus(value)}>${label}</button>`;
  return html`<div class="chips" role="group" aria-label=${t('delivery.filter')}>
      ${chip(undefined, t('common.all'))}
      ${DELIVERY_STATUSES.map((value) => chip(value, t(`delivery.status.${value}`)))}
    </div>
    <${ErrorNote} error=${pages.error} onRetry=${() => pages.more()} />
    <ul class="deliveries">
      ${pages.items.map(
        (item) => html`<${DeliveryRow} key=${item.id} delivery=${retried[item.id] || item}
          onRetried=${(answer) => setRetried((shown) => ({ ...shown, [answer.id]: answer }))} />`,
      )}
    </ul>
    ${!pages.loading && !pages.items.length && !pages.error && html`<${Empty} text=${t('delivery.none')} />`}
    ${pages.done
      ? pages.items.length > 0 && html`<p class="muted center small">${t('list.end')}</p>`
      : html`<${Sentinel} onVisible=${() => pages.more()} />`}`;
}
