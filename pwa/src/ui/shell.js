// The frame around every screen: title bar with network and sync state, bottom navigation,
// the update prompt and the toast.
import { t } from '../i18n/index.js';
import { unsent } from '../outbox.js';
import { useStore } from '../store.js';
import { applyUpdate } from '../sw-bridge.js';
import { html } from './html.js';

function SyncState() {
  const { online, outbox, syncing } = useStore((s) => ({ online: s.online, outbox: s.outbox, syncing: s.syncing }));
  const waiting = outbox.filter(unsent).length;
  const failed = outbox.filter((i) => i.state === 'failed').length;
  let text = online ? t('net.online') : t('net.offline');
  if (failed) text = t('sync.failed', { n: failed });
  else if (syncing && waiting) text = t('sync.sending');
  else if (waiting) text = t('sync.waiting', { n: waiting });
  const tone = failed ? 'failed' : !online ? 'offline' : waiting ? 'waiting' : 'online';
  return html`<a href="/outbox" class=${`sync sync-${tone}`} aria-live="polite">${text}</a>`;
}

function UpdateBanner() {
  const worker = useStore((s) => s.updateReady);
  if (!worker) return null;
  // Never reload under a user mid-report: the new version waits for this tap.
  const apply = () => applyUpdate(worker);
  return html`<div class="banner" role="status">
    ${t('update.ready')} <button class="button small" onClick=${apply}>${t('update.reload')}</button>
  </div>`;
}

function Toast() {
  const toast = useStore((s) => s.toast);
  return toast ? html`<div class=${`toast toast-${toast.tone}`} role="status">${toast.message}</div>` : null;
}

const TABS = [
  ['/', 'nav.home', 'home'],
  ['/scan', 'nav.scan', 'scan'],
  ['/hazards', 'nav.list', 'list'],
  ['/inbox', 'nav.inbox', 'inbox'],
  ['/me', 'nav.me', 'settings'],
];

export function Shell({ title, back, route, children, unread = 0 }) {
  const online = useStore((s) => s.online);
  return html`<div class="app">
    <header class="topbar">
      ${back
        ? html`<button class="back" onClick=${() => history.back()} aria-label=${t('common.back')}>‹</button>`
        : html`<span class="logo" aria-hidden="true">安</span>`}
      <h1 title=${title}>${title}</h1>
      <${SyncState} />
    </header>
    ${!online && html`<p class="offline-strip">${t('net.offline_hint')}</p>`}
    <${UpdateBanner} />
    <main class="content">${children}</main>
    <nav class="tabs">
      ${TABS.map(
        ([href, label, name]) => html`<a href=${href} class=${route?.name === name ? 'tab active' : 'tab'}>
          <span>${t(label)}</span>${name === 'inbox' && unread > 0 && html`<b class="dot">${unread > 99 ? '99+' : unread}</b>`}
        </a>`,
      )}
    </nav>
    <${Toast} />
  </div>`;
}
