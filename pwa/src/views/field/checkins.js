// Checking in at a demonstration post: the check-in itself (with location when the phone gives
// it) through the outbox, and this month's calendar of days checked in.
import { useState } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { showToast } from '../../store.js';
import { enqueue } from '../../sync.js';
import { useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Field, Section } from '../../ui/kit.js';

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

export function CheckIn({ postId }) {
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
    showToast(t('post.checked_in'), 'success');
  }
  return html`<div class="form">
    <${Field} label=${t('post.checkin_note')}><input maxlength="500" value=${note} onInput=${(e) => setNote(e.target.value)} /><//>
    <button class="button primary block big" disabled=${busy} onClick=${checkIn}>${t('post.checkin')}</button>
  </div>`;
}
