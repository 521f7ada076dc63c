// Safety-themed Party days (安全生产主题党日): the list, one activity with its QR and who came,
// checking in by scanning its QR, and planning one.
import { useState } from 'preact/hooks';
import { post } from '../../api.js';
import { PARTY_DAY_KINDS } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { getState, showToast, useStore } from '../../store.js';
import { partyDayById } from '../../pack.js';
import { enqueue } from '../../sync.js';
import { offlinePack, usePages, useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { Empty, ErrorNote, Field, Loading, Note, Section, Sentinel, StaleNote, fieldErrors, formatDateTime } from '../../ui/kit.js';
import { position } from '../field/checkins.js';
import { problemText } from '../../problems.js';


export function PartyDays() {
  const user = useStore((s) => s.user);
  const list = usePages((cursor) => `/party-days?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
  return html`${user.may?.includes('organize_party_days') && html`<a class="button primary block" href="/party-days/new">${t('party.plan')}</a>`}
    <${ErrorNote} error=${list.error} onRetry=${() => list.more(true)} />
    ${!list.loading && !list.items.length && html`<${Empty} text=${t('party.none')} />`}
    <div class="cards">
      ${list.items.map(
        (day) => html`<a class="card" key=${day.id} href=${`/party-days/${day.id}`}>
          <span class="card-body party-row">
            <strong>${day.theme}</strong>
            <span class="small">${t(`party.kind.${day.kind}`)} · ${day.branch}</span>
            <span class="small muted">${formatDateTime(day.starts_at)} · ${day.place}</span>
          </span>
        </a>`,
      )}
    </div>
    ${!list.done && html`<${Sentinel} onVisible=${() => list.more()} />`}`;
}

/** Checking in with the Party day's token (from its QR): queued in the outbox, sent when there is
 * signal. `day` may be {} when the phone scanned a sign offline and does not know which day it is. */
export function CheckIn({ day, token, reload }) {
  const outbox = useStore((s) => s.outbox);
  const [busy, setBusy] = useState(false);
  // Like every field record, the check-in goes through the outbox: a weak signal at the site
  // delays it, never loses it (a check-in after the end is refused and shown as failed).
  const queued = outbox.find((i) => i.kind === 'attendance' && i.request.body.token === token && i.state !== 'sent');
  async function checkIn() {
    setBusy(true);
    const where = await position();
    const clientUuid = crypto.randomUUID();
    await enqueue({
      id: clientUuid,
      kind: 'attendance',
      path: '/party-days/attendances',
      body: { client_uuid: clientUuid, token, client_at: new Date().toISOString(), ...(where || {}) },
    });
    setBusy(false);
    // Offline it is kept, not yet done: say so (the server may still refuse the token).
    showToast(getState().online ? t('party.checked_in') : t('party.queued'), 'success');
    setTimeout(reload, 1500);
  }
  if (day.my_attendance) return html`<${Note} tone="success">${t('party.you_attended', { at: formatDateTime(day.my_attendance.created_at) })}<//>`;
  // A day from the offline pack does not say whether check-in is open yet: show the hint.
  if (!token) return (day.check_in_open ?? true) ? html`<${Note}>${t('party.scan_to_check_in')}<//>` : null;
  if (queued) return html`<${Note} tone="warn">${t('party.queued')} <a href="/outbox">${t('outbox.title')}</a><//>`;
  return html`<button class="button primary block big" disabled=${busy} onClick=${checkIn}>${t('party.check_in')}</button>`;
}

export function PartyDay({ id, token }) {
  // No signal and no saved answer: what the offline pack knows of the day (no counts, no lists).
  const day = useApi(`/party-days/${id}`, { fallback: () => partyDayById(offlinePack(), id) });
  if (day.loading && !day.data) return html`<${Loading} />`;
  if (!day.data) return html`<${ErrorNote} error=${day.error} onRetry=${day.reload} />`;
  const d = day.data;
  return html`<${StaleNote} stale=${day.stale} />
    <div class="place">
      <p class="code">${t(`party.kind.${d.kind}`)} · ${d.branch}</p>
      <h2>${d.theme}</h2>
      <p>${formatDateTime(d.starts_at)} – ${formatDateTime(d.ends_at)}</p>
      <p class="small">${d.place}${d.geofence_required ? ` · ${t('party.geofence', { m: d.radius_m })}` : ''}</p>
      ${d.description && html`<p class="text">${d.description}</p>`}
      <p class="small muted">${t('party.organizer')}：${d.organizer?.name}</p>
    </div>
    ${d.allowed_actions?.includes('attend')
      ? html`<${CheckIn} day=${d} token=${token} reload=${day.reload} />`
      : d.attend_refusal && html`<${Note}>${t(d.attend_refusal, { branch: d.branch })}<//>`}
    ${!day.fromPack && html`<div class="figures three">
      <div class="figure"><strong>${d.attendance_count}</strong><span>${t('party.attended')}</span></div>
      <div class="figure"><strong>${d.expected_attended}/${d.expected_count}</strong><span>${t('party.branch_attended')}</span></div>
      <a class="figure" href=${`/hazards?party_day_id=${d.id}`}><strong>${d.hazard_count}</strong><span>${t('party.hazards')}</span></a>
    </div>`}
    ${d.may_manage && html`<${Section} title=${t('party.qr')}>
        <div class="qr-box"><img src=${`/api/v1/party-days/${d.id}/qr.svg`} alt=${t('party.qr')} />
          <span class="small muted">${t('party.qr_hint')}</span></div>
      <//>
      <${Section} title=${t('party.attendees')}>
        <ul class="rows">${d.attendees.map((a) => html`<li key=${a.id}><span>${a.user.name}</span><span class="small muted">${formatDateTime(a.created_at)}${a.within_geofence === false ? ` · ${t('party.outside')}` : ''}</span></li>`)}</ul>
      <//>
      <${Section} title=${t('party.absentees')}>
        ${d.absentees.length ? html`<ul class="rows">${d.absentees.map((u) => html`<li key=${u.id}><span>${u.name}</span></li>`)}</ul>` : html`<${Empty} text=${t('common.none')} />`}
      <//>`}`;
}

function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function PlanPartyDay() {
  const user = useStore((s) => s.user);
  const start = new Date(Date.now() + 3600e3);
  const [form, setForm] = useState({
    theme: '', kind: 'site_check', branch: user.party_branch || '', place: '', description: '',
    starts_at: localInput(start), ends_at: localInput(new Date(start.getTime() + 2 * 3600e3)),
  });
  const [errors, setErrors] = useState({});
  const set = (patch) => setForm((f) => ({ ...f, ...patch }));
  async function submit(event) {
    event.preventDefault();
    const body = {
      ...form,
      unit_id: user.unit.id,
      starts_at: new Date(form.starts_at).toISOString(),
      ends_at: new Date(form.ends_at).toISOString(),
      description: form.description.trim() || null,
    };
    try {
      const created = await post('/party-days', body);
      navigate(`/party-days/${created.id}`, { replace: true });
    } catch (caught) {
      setErrors({ ...fieldErrors(caught), _: problemText(caught) });
    }
  }
  const text = (name, label, max) => html`<${Field} label=${label} error=${errors[name]}>
    <input required maxlength=${max} value=${form[name]} onInput=${(e) => set({ [name]: e.target.value })} /><//>`;
  return html`<form class="form" onSubmit=${submit}>
    ${text('theme', t('party.theme'), 100)}
    <${Field} label=${t('party.kind_label')}>
      <select value=${form.kind} onChange=${(e) => set({ kind: e.target.value })}>
        ${PARTY_DAY_KINDS.map((kind) => html`<option key=${kind} value=${kind}>${t(`party.kind.${kind}`)}</option>`)}
      </select>
    <//>
    ${text('branch', t('party.branch'), 100)}
    ${text('place', t('party.place'), 200)}
    <${Field} label=${t('party.starts_at')} error=${errors.starts_at}>
      <input type="datetime-local" required value=${form.starts_at} onInput=${(e) => set({ starts_at: e.target.value })} /><//>
    <${Field} label=${t('party.ends_at')} error=${errors.ends_at}>
      <input type="datetime-local" required value=${form.ends_at} onInput=${(e) => set({ ends_at: e.target.value })} /><//>
    <${Field} label=${t('party.description')}>
      <textarea rows="3" maxlength="2000" value=${form.description} onInput=${(e) => set({ description: e.target.value })}></textarea><//>
    ${errors._ && html`<${Note} tone="error">${errors._}<//>`}
    <button class="button primary block big">${t('party.plan')}</button>
  </form>`;
}
