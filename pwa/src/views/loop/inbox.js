// Notifications: what the workflow told this user; tapping one opens its hazard.
import { post } from '../../api.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Empty, StaleNote, formatDateTime } from '../../ui/kit.js';

export function Inbox() {
  const inbox = useApi('/notifications?limit=100');
  const items = inbox.data?.items || [];
  async function open(note) {
    if (!note.read_at) post(`/notifications/${note.id}/read`).catch(() => {});
    if (note.hazard_id) navigate(`/hazards/${note.hazard_id}`);
  }
  async function readAll() {
    await post('/notifications/read-all');
    inbox.reload();
  }
  return html`<${StaleNote} stale=${inbox.stale} />
    ${inbox.data?.unread_count > 0 && html`<button class="button small" onClick=${readAll}>${t('inbox.read_all')}</button>`}
    ${items.length
      ? html`<ul class="inbox">${items.map(
          (note) => html`<li key=${note.id} class=${note.read_at ? 'read' : 'unread'}>
            <button type="button" onClick=${() => open(note)}>
              <span>${t(`notify.${note.kind}`, note.data)}</span>
              <span class="muted small">${formatDateTime(note.created_at)}</span>
            </button>
          </li>`,
        )}</ul>`
      : html`<${Empty} text=${t('inbox.empty')} />`}`;
}
