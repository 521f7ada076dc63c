// Checking in at a demonstration post: the check-in itself (with location when the phone gives
// it) through the outbox, what the server recorded of it, and this month's calendar.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { getState, showToast, useStore } from '../../store.js';
import { enqueue } from '../../sync.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Field, Note, Section } from '../../ui/kit.js';

function month() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

export function CheckInCalendar({ postId }) {
  const stats = useApi(`/posts/${postId}/stats?month=${month()}`);
  if (!stats.data) return null;
  const now = new Date();
  const days = new Date(now.getFullYear(), now.getMonth() + 1, 0).getDate();
  const checked = new Set(stats.data.days.map((d) => Number(d.date.slice(8, 10))));
  return html`<${Section} title=${t('post.calendar')}>
    <p class="small">${t('post.days', { n: stats.data.days_checked_in })}</p>
    <div class="calendar">
      ${Array.from({ length: days }, (_, i) => i + 1).map(
        (day) => html`<span key=${day} class=${checked.has(day) ? 'day on' : 'day'}>${day}</span>`,
      )}
    </div>
  <//>`;
}

export function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy_m: Math.round(p.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
    );
  });
}

/** What the server recorded of a check-in, in words and a tone: inside or outside the fence and how
 * far, or kept without a location; its refusal (a `require` post far away); or that it waits. */
export function checkInResult(item) {
  if (item.state === 'failed') return { tone: 'error', text: t('post.checkin_refused', { reason: item.error?.message || '' }) };
  if (item.state !== 'sent') return { tone: 'warn', text: t('post.checked_in') };
  const fence = item.fence || {};
  const m = fence.distance_m == null ? null : Math.round(fence.distance_m).toLocaleString('en-US');
  if (fence.within_geofence === true) return { tone: 'success', text: t('post.checkin_inside', { m }) };
  if (fence.within_geofence === false) return { tone: 'warn', text: t('post.checkin_outside', { m }) };
  if (item.request.body.lat == null) return { tone: 'warn', text: t('post.checkin_no_location') };
  return { tone: 'success', text: t('post.checkin_unfenced') };
}

/** The user's latest check-in at this post today, as the outbox keeps it (sent ones for a day). */
function todaysCheckIn(outbox, postId) {
  const today = new Date().toDateString();
  return outbox.find(
    (i) => i.kind === 'checkin' && i.request.body.post_id === Number(postId) && new Date(i.createdAt).toDateString() === today,
  );
}

export function CheckIn({ postId }) {
  const latest = todaysCheckIn(useStore((s) => s.outbox), postId);
  const result = latest && checkInResult(latest);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  async function checkIn() {
    setBusy(true);
    const where = await position(); // never blocking: a check-in without location is still kept
    const clientUuid = crypto.randomUUID();
    await enqueue({
      id: clientUuid,
      kind: 'checkin',
      path: '/checkins',
      body: { client_uuid: clientUuid, post_id: Number(postId), client_at: new Date().toISOString(), ...(where || {}), ...(note ? { note } : {}) },
    });
    setBusy(false);
    setNote('');
    // Offline it is kept, not yet recorded: say so; online the note below says what was recorded.
    if (!getState().online) showToast(t('post.checked_in'), 'success');
  }
  return html`<div class="form">
    ${result && html`<div class="checkin-result"><${Note} tone=${result.tone}>${result.text}${result.tone === 'warn' && latest.state !== 'sent' ? html` <a href="/outbox">${t('outbox.title')}</a>` : ''}<//></div>`}
    <${Field} label=${t('post.checkin_note')}><input maxlength="500" value=${note} onInput=${(e) => setNote(e.target.value)} /><//>
    <button class="button primary block big" disabled=${busy} onClick=${checkIn}>${t('post.checkin')}</button>
  </div>`;
}
