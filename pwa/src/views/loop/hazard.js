// One hazard: photos by stage (tap to enlarge), the facts, the timeline, and exactly the actions
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

function Photos({ title, photos }) {
  const [open, setOpen] = useState(null);
  if (!photos.length) return null;
  return html`<${Section} title=${title}>
    <div class="photo-grid">
      ${photos.map(
        (p) => html`<button type="button" class="photo" key=${p.id} onClick=${() => setOpen(p.id)}>
          <img src=${`/api/v1/photos/${p.id}/thumb.jpg`} alt="" loading="lazy" />
        </button>`,
      )}
    </div>
    ${open && html`<div class="lightbox" role="dialog" onClick=${() => setOpen(null)}>
      <img src=${`/api/v1/photos/${open}/full.jpg`} alt="" />
    </div>`}
  <//>`;
}

function Fact({ label, children }) {
  return children ? html`<div class="fact"><dt>${label}</dt><dd>${children}</dd></div>` : null;
}

function Timeline({ events }) {
  return html`<ol class="timeline">
    ${events.map(
      (e) => html`<li key=${e.id}>
        <strong>${t(`action.${e.action}`)}</strong>
        ${e.to_status && e.to_status !== e.from_status && html` → ${t(`status.${e.to_status}`)}`}
        <span class="muted small"> · ${e.actor.name} · ${formatDateTime(e.created_at)}</span>
        ${e.comment && html`<p class="text">${e.comment}</p>`}
      </li>`,
    )}
  </ol>`;
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
    <${Photos} title=${t('hazard.report_photos')} photos=${byStage('report')} />
    <dl class="facts">
      <${Fact} label=${t('hazard.zone')}><a href=${`/zones/${h.zone_id}`}>${h.zone?.name}</a><//>
      <${Fact} label=${t('hazard.reporter')}>${h.guest ? t('hazard.guest') : h.reporter?.name}
        ${h.guest_phone && html` <a class="button small" href=${`tel:${h.guest_phone}`} data-external>${t('common.call')} ${h.guest_phone}</a>`}<//>
      ${h.party_day_id && html`<${Fact} label=${t('party.title')}><a href=${`/party-days/${h.party_day_id}`}>${t('party.linked')}</a><//>`}
      <${Fact} label=${t('hazard.assignee')}>${h.assignee?.name}<//>
      <${Fact} label=${t('hazard.deadline')}>${h.deadline}<//>
      <${Fact} label=${t('hazard.measures')}>${h.measures}<//>
      <${Fact} label=${t('hazard.funds')}>${h.funds}<//>
      <${Fact} label=${t('hazard.contingency_plan')}>${h.contingency_plan}<//>
    </dl>
    ${h.extension_deadline && html`<${Note} tone="warn">${t('hazard.extension', { date: h.extension_deadline, reason: h.extension_reason })}<//>`}
    <${Photos} title=${t('hazard.fix_photos')} photos=${byStage('rectification')} />
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
