// One hazard in a list: number, title, zone, deadline and its badges; the whole card is a link.
// Title and zone are clamped (styles.css .card-title): the hazard's page has them in full.
import { t } from '../i18n/index.js';
import { html } from './html.js';
import { Clamped, HazardBadges } from './kit.js';

export function HazardCard({ hazard }) {
  const thumb = hazard.photos?.find((p) => p.stage === 'report');
  const meta = `${hazard.number} · ${hazard.zone?.name || ''}`;
  return html`<a class="card hazard-card" href=${`/hazards/${hazard.id}`}>
    ${thumb
      ? html`<img class="thumb" src=${`/api/v1/photos/${thumb.id}/thumb.jpg`} alt="" loading="lazy" />`
      : html`<span class="thumb placeholder"></span>`}
    <span class="card-body">
      <${Clamped} class="card-title" text=${hazard.title} />
      <span class="muted small card-meta" title=${meta}>${meta}</span>
      <${HazardBadges} hazard=${hazard} />
      ${hazard.deadline && html`<span class="small">${t('hazard.deadline')} ${hazard.deadline}</span>`}
    </span>
  </a>`;
}

export function HazardList({ items }) {
  return html`<div class="cards">${items.map((hazard) => html`<${HazardCard} key=${hazard.id} hazard=${hazard} />`)}</div>`;
}
