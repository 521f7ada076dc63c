// One hazard: report and fix photos side by side (tap to enlarge), the facts, the timeline, and exactly the actions
// the server allows this user (allowed_actions), each with its form. An own task opens offline
// from the offline pack (without its timeline, which shows once online).
import { useState } from 'preact/hooks';
import { CONFIRMED_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { taskById } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { html } from '../../ui/html.js';
import { ErrorNote, HazardBadges, Loading, Note, Section, StaleNote, formatDateTime } from '../../ui/kit.js';
import { ActionForm } from './actions.js';
import { LookAlikes } from './repeats.js';

function Photo({ photo, onOpen }) {
  return html`<figure class="shot">
    <button type="button" class="photo" onClick=${() => onOpen(photo.id)}>
      <img src=${`/api/v1/photos/${photo.id}/thumb.jpg`} alt="" loading="lazy" />
    </button>
    <figcaption class="muted small">
      ${photo.taken_at ? t('photo.taken', { at: formatDateTime(photo.taken_at) }) : t('photo.taken_unknown')}
      <br />${t(photo.gps ? 'photo.gps' : 'photo.no_gps')}
    </figcaption>
  </figure>`;
}

// Before and after in two columns, pair by pair (a row each), so the same spot reads across; at
// 320 px a column is still ~135 px wide. Without an after photo yet, the report photos alone.
function Photos({ before, after }) {
  const [open, setOpen] = useState(null);
  if (!before.length && !after.length) return null;
  const rows = Array.from({ length: Math.max(before.length, after.length) }, (_, i) => [before[i], after[i]]);
  const cell = (p, side, i) => (p ? html`<${Photo} key=${p.id} photo=${p} onOpen=${setOpen} />` : html`<span key=${`${side}${i}`}></span>`);
  return html`<${Section} title=${after.length ? t('hazard.before_after') : t('hazard.report_photos')}>
    ${after.length
      ? html`<div class="before-after">
          <strong>${t('hazard.before')}</strong><strong>${t('hazard.after')}</strong>
          ${rows.map(([b, a], i) => [cell(b, 'b', i), cell(a, 'a', i)])}
        </div>`
      : html`<div class="before-after">${before.map((p, i) => cell(p, 'b', i))}</div>`}
    ${open && html`<div class="lightbox" role="dialog" onClick=${() => setOpen(null)}>
      <img src=${`/api/v1/photos/${open}/full.jpg`} alt="" />
    </div>`}
  <//>`;
}

function Fact({ label, children }) {
  return children ? html`<div class="fact"><dt>${label}</dt><dd>${children}</dd></div>` : null;
}

// The deadline an event moved (assign, extend) as old → new, or the date an extension asked for.
function DeadlineChange({ changes }) {
  const [from, to] = changes?.deadline || [];
  if (to) return html`<p class="small deadline-change">${t('hazard.deadline')} ${from ? `${from} → ${to}` : to}</p>`;
  const asked = changes?.extension_deadline?.[1];
  return asked ? html`<p class="small deadline-change">${t('hazard.extension_asked', { date: asked })}</p>` : null;
}

function Timeline({ events }) {
  return html`<ol class="timeline">
    ${events.map(
      (e) => html`<li key=${e.id}>
        <strong>${t(`action.${e.action}`)}</strong>
        ${e.to_status && e.to_status !== e.from_status && html` → ${t(`status.${e.to_status}`)}`}
        <span class="muted small"> · ${e.actor.name} · ${formatDateTime(e.created_at)}</span>
        <${DeadlineChange} changes=${e.changes} />
        ${e.comment && html`<p class="text">${e.comment}</p>`}
      </li>`,
    )}
  </ol>`;
}

function location(h) {
  return h.lat == null ? t('hazard.no_location') : `${h.lat.toFixed(5)}, ${h.lng.toFixed(5)}`;
}

function PendingActions({ hazardId }) {
  const items = useStore((s) => s.outbox.filter((i) => i.hazardId === hazardId && i.state !== 'sent'));
  return items.map(
    (item) => html`<${Note} key=${item.id} tone=${item.state === 'failed' ? 'error' : 'warn'}>
      ${t(`action.${item.request.path.split('/').pop()}`)} ·
      ${item.state === 'failed' ? t('outbox.failed', { reason: item.error?.message }) : t(`outbox.${item.state}`)}
      ${item.error?.status === 409 && html` <a class="link" href="/outbox">${t('hazard.changed')}</a>`}
    <//>`,
  );
}

export function Hazard({ id }) {
  const hazard = useApi(`/hazards/${id}`, { fallback: () => taskById(offlinePack(), id) });
  const [action, setAction] = useState(null);
  if (hazard.loading && !hazard.data) return html`<${Loading} />`;
  if (!hazard.data) return html`<${ErrorNote} error=${hazard.error} onRetry=${hazard.reload} />`;
  const h = hazard.data;
  const byStage = (stage) => h.photos.filter((p) => p.stage === stage);
  const done = () => {
    setAction(null);
    setTimeout(hazard.reload, 1500);
  };
  return html`<${StaleNote} stale=${hazard.stale} fromPack=${hazard.fromPack} />
    <div class="hazard-head">
      <p class="code">${h.number}</p>
      <h2>${h.title}</h2>
      <${HazardBadges} hazard=${h} />
      ${h.fixed_on_spot && html`<span class="badge">${t('hazard.fixed_on_spot')}</span>`}
    </div>
    <${PendingActions} hazardId=${h.id} />
    <p class="text">${h.description}</p>
    <${Photos} before=${byStage('report')} after=${byStage('rectification')} />
    <dl class="facts">
      <${Fact} label=${t('hazard.category')}>${t(`category.${h.category}`)}<//>
      <${Fact} label=${t('hazard.level')}>${t(`level.${h.level}`)}<//>
      <${Fact} label=${t('hazard.zone')}><a href=${`/zones/${h.zone_id}`}>${h.zone?.name}</a><//>
      <${Fact} label=${t('hazard.location')}>${location(h)}<//>
      <${Fact} label=${t('hazard.reported_at')}>${formatDateTime(h.client_at || h.created_at)}<//>
      <${Fact} label=${t('hazard.reporter')}>${h.guest ? t('hazard.guest') : h.reporter?.name}
        ${h.guest_phone && html` <a class="button small" href=${`tel:${h.guest_phone}`} data-external>${t('common.call')} ${h.guest_phone}</a>`}<//>
      ${h.party_day_id && html`<${Fact} label=${t('party.title')}><a href=${`/party-days/${h.party_day_id}`}>${t('party.linked')}</a><//>`}
      <${Fact} label=${t('hazard.assignee')}>${h.assignee?.name}<//>
      <${Fact} label=${t('hazard.deadline')}>${h.deadline}<//>
      <${Fact} label=${t('hazard.measures')}>${h.measures}<//>
      <${Fact} label=${t('hazard.funds')}>${h.funds}<//>
      <${Fact} label=${t('hazard.contingency_plan')}>${h.contingency_plan}<//>
    </dl>
    ${!action && html`<${LookAlikes} hazard=${h} onDone=${done} />`}
    ${h.extension_deadline && html`<${Note} tone="warn">${t('hazard.extension', { date: h.extension_deadline, reason: h.extension_reason })}<//>`}
    ${action
      ? html`<${ActionForm} hazard=${h} action=${action} onDone=${done} />`
      : html`<div class="action-buttons">
          ${h.allowed_actions.map(
            (name) => html`<button key=${name} class=${`button ${['accept', 'confirm', 'submit'].includes(name) ? 'primary' : ''}`}
              onClick=${() => setAction(name)}>${t(`action.${name}`)}</button>`,
          )}
          ${CONFIRMED_STATUSES.includes(h.status) && !hazard.fromPack &&
          html`<a class="button" href=${`/hazards/${h.id}/notice`} data-external target="_blank" rel="noopener">${t('hazard.notice')}</a>`}
        </div>`}
    <${Section} title=${t('hazard.timeline')}>
      ${h.events ? html`<${Timeline} events=${h.events} />` : html`<p class="muted small">${t('hazard.timeline_offline')}</p>`}
    <//>`;
}
