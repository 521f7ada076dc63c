// Admin: QR sign sheets to print, zones and posts picked from their lists.
import { useState } from 'preact/hooks';
import { MAX_SIGNS } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { ErrorNote, Loading, Note, Section } from '../../ui/kit.js';

export function AdminSigns() {
  const zones = useApi('/zones?limit=200');
  const posts = useApi('/posts?limit=200');
  const [picked, setPicked] = useState({ zones: new Set(), posts: new Set() });
  const flip = (kind, id) =>
    setPicked((p) => {
      const next = new Set(p[kind]);
      next.has(id) ? next.delete(id) : next.add(id);
      return { ...p, [kind]: next };
    });
  // Rows are shown only when both lists are in, so nothing moves under a finger (or a test)
  // while the second list arrives.
  if (zones.loading || posts.loading) return html`<${Loading} />`;
  const error = zones.error || posts.error;
  if (error) return html`<${ErrorNote} error=${error} onRetry=${() => (zones.reload(), posts.reload())} />`;
  const count = picked.zones.size + picked.posts.size;
  const tooMany = count > MAX_SIGNS;
  const href = `/signs?zones=${[...picked.zones].join(',')}&posts=${[...picked.posts].join(',')}`;
  const list = (kind, items) =>
    html`<ul class="rows" data-kind=${kind}>${items.map(
      (item) => html`<li key=${item.id}><label class="switch">
        <input type="checkbox" checked=${picked[kind].has(item.id)} onChange=${() => flip(kind, item.id)} />
        <span>${item.name} <span class="muted small">${item.code}</span></span></label></li>`,
    )}</ul>`;
  return html`<p class="muted">${t('admin.signs_hint')}</p>
    <${Section} title=${t('admin.zones')}>${list('zones', zones.data?.items || [])}<//>
    <${Section} title=${t('admin.posts')}>${list('posts', posts.data?.items || [])}<//>
    ${tooMany && html`<${Note} tone="warn">${t('admin.too_many_signs', { limit: MAX_SIGNS })}<//>`}
    ${count && !tooMany
      ? html`<a class="button primary block" href=${href} target="_blank" rel="noopener" data-external>${t('admin.print')}</a>`
      : html`<button class="button primary block" disabled>${t('admin.print')}</button>`}`;
}
