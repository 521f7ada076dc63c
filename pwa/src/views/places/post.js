// A demonstration post: its holder and commitment, check-in, this month's calendar. With no signal
// and no saved answer, from the offline pack (the calendar shows once online).
import { t } from '../../i18n/index.js';
import { postById } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { ErrorNote, Loading, Note, StaleNote } from '../../ui/kit.js';
import { CheckIn, CheckInCalendar } from '../field/checkins.js';

export function Post({ id }) {
  const post = useApi(`/posts/${id}`, { fallback: () => postById(offlinePack(), id) });
  if (post.loading && !post.data) return html`<${Loading} />`;
  if (!post.data) return html`<${ErrorNote} error=${post.error} onRetry=${post.reload} />`;
  const p = post.data;

  return html`<${StaleNote} stale=${post.stale} fromPack=${post.fromPack} />
    <div class="place">
      <p class="code">${p.code}</p>
      <h2>${p.name}</h2>
      <p>${t('post.holder')}：<strong>${p.holder.name}</strong></p>
      ${p.commitment && html`<blockquote class="commitment">${p.commitment}</blockquote>`}
    </div>
    ${p.allowed_actions?.includes('check_in')
      ? html`<${CheckIn} postId=${id} />`
      : p.check_in_refusal && html`<${Note}>${t(p.check_in_refusal)}<//>`}
    <${CheckInCalendar} postId=${id} />`;
}
