// One hazard in a list: number, title, zone, deadline and its badges; the whole card is a link.
import { t } from '../i18n/index.js';
import { html } from './html.js';
import { HazardBadges } from './kit.js';

export function HazardCard({ hazard }) {
  const thumb = hazard.photos?.find((p) => p.stage === 'report');
  return html`<a class="card hazard-card" href=${`/hazards/${hazard.id}`}>
    ${thumb
      ? html`<img class="thumb" src=${`/api/v1/photos/${thumb.id}/thumb.jpg`} alt="" loading="lazy" />`
      : html`<span class="thumb placeholder"></span>`}
    <span class="card-body">
      <strong class="card-title">${hazard.title}</strong>
      <span class="muted small">${hazard.number} · ${hazard.zone?.name || ''}</span>
      <${HazardBadges} hazard=${hazard} />
      ${hazard.deadline && html`<span class="small">${t('hazard.deadline')} ${hazard.deadline}</span>`}
    </span>
  </a>`;
}

export function HazardList({ items }) {
  return html`<div class="cards">${items.map((hazard) => html`<${HazardCard} key=${hazard.id} hazard=${hazard} />`)}</div>`;
}
