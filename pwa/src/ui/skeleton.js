// Placeholders of a list's final size while its answer is on the way: what follows the list stays
// where it is when the rows arrive, instead of jumping down under the user's thumb (layout shift).
import { useEffect } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { getState } from '../store.js';
import { html } from './html.js';

const NBSP = '\u00a0'; // gives a bar the height of a line of text
const keyOf = (path) => `sz.rows:${getState().user?.id}:${path}`;

// Only a size hint: a web view with storage turned off throws here, and the screen must not break.
function recall(path) {
  try {
    const value = localStorage.getItem(keyOf(path));
    return value === null ? null : Number(value);
  } catch {
    return null;
  }
}

function remember(path, count) {
  try {
    localStorage.setItem(keyOf(path), String(count));
  } catch {
    // the next visit reserves the default instead
  }
}

/** How many rows to hold a place for while the list at path loads: as many as it had the last
 * time on this phone, else the fallback. Remembers the count once the answer is in. */
export function usePlaceRows(path, count, fallback) {
  useEffect(() => {
    if (count != null) remember(path, count);
  }, [path, count]);
  return count ?? recall(path) ?? fallback;
}

/** A line of text's height with a grey bar in it, `width` of the line wide. */
function Bone({ width, class: extra = '' }) {
  return html`<span class=${`bone ${extra}`} style=${`width: ${width}`}>${NBSP}</span>`;
}

/** Stands for `n` hazard cards (same boxes as ui/hazard-card.js), the first one saying "loading";
 * none expected: the size of the empty note. */
export function HazardCardsPlaceholder({ n }) {
  if (!n) return html`<p class="empty">${t('common.loading')}</p>`;
  return html`<div class="cards">
    ${Array.from({ length: n }, (_, i) => html`<div class="card skeleton" key=${i} aria-hidden=${i > 0 ? 'true' : null}>
      <span class="thumb placeholder"></span>
      <span class="card-body">
        ${i === 0 ? html`<strong class="card-title muted">${t('common.loading')}</strong>` : html`<${Bone} width="70%" />`}
        <${Bone} width="85%" class="small" />
        <span class="badges"><span class="badge bone-badge">${NBSP}</span></span>
        <${Bone} width="55%" class="small" />
      </span>
    </div>`)}
  </div>`;
}

/** Stands for `n` zone tiles while they load. */
export function TilesPlaceholder({ n }) {
  return html`<div class="tiles" aria-hidden="true">
    ${Array.from({ length: n }, (_, i) => html`<div class="tile skeleton" key=${i}>
      <${Bone} width="80%" />
      <${Bone} width="40%" class="small" />
      <span class="badges"><span class="badge bone-badge">${NBSP}</span></span>
    </div>`)}
  </div>`;
}

/** Stands for a one-line notice card (`.card` of 48 px) expected above the list. */
export function NoticePlaceholder({ class: look = '' }) {
  return html`<div class=${`card skeleton ${look}`} aria-hidden="true"><${Bone} width="40%" /></div>`;
}
