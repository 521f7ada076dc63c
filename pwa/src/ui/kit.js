// Small building blocks every screen uses: fields, buttons, sections, badges, notes.
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/index.js';
import { html } from './html.js';
import { problemText } from '../problems.js';
import { useStore } from '../store.js';

export function Field({ label, hint, error, children }) {
  return html`<label class="field">
    <span class="field-label">${label}</span>
    ${children}
    ${hint && html`<span class="field-hint">${hint}</span>`}
    ${error && html`<span class="field-error" role="alert">${[].concat(error).join(' ')}</span>`}
  </label>`;
}

/** Free text cut after two lines (styles.css .clamp), its whole text in the title attribute. */
export function Clamped({ text, class: className = '' }) {
  if (!text) return null;
  return html`<span class=${`clamp ${className}`} title=${text}>${text}</span>`;
}

export function Section({ title, action, children }) {
  return html`<section class="section">
    ${title && html`<header class="section-head"><h2>${title}</h2>${action}</header>`}
    ${children}
  </section>`;
}

export function Note({ tone = 'info', children }) {
  return html`<p class=${`note note-${tone}`} role=${tone === 'error' ? 'alert' : 'status'}>${children}</p>`;
}

export function Loading() {
  return html`<p class="muted center">${t('common.loading')}</p>`;
}

export function Empty({ text }) {
  return html`<p class="empty">${text}</p>`;
}

export function ErrorNote({ error, onRetry }) {
  if (!error) return null;
  return html`<${Note} tone="error">
    ${t('common.error', { message: problemText(error) })}
    ${onRetry && html` <button class="link" onClick=${onRetry}>${t('common.retry')}</button>`}
  <//>`;
}

/** Shown data is not fresh: the last saved answer, or (`fromPack`) the offline pack, said with
 * when the server last confirmed it. */
export function StaleNote({ stale, fromPack = false }) {
  const packAt = useStore((s) => s.pack?.checkedAt);
  if (!stale) return null;
  const text = fromPack && packAt
    ? t('common.offline_pack', { time: formatDateTime(new Date(packAt).toISOString()) })
    : t('common.offline_cached');
  return html`<${Note} tone="warn">${text}<//>`;
}

export function StatusBadge({ status }) {
  return html`<span class=${`badge status-${status}`}>${t(`status.${status}`)}</span>`;
}

export function HazardBadges({ hazard }) {
  return html`<span class="badges">
    <${StatusBadge} status=${hazard.status} />
    ${hazard.level === 'major' && html`<span class="badge major">${t('level.major')}</span>`}
    ${hazard.overdue && html`<span class="badge overdue">${t('hazard.overdue')}</span>`}
    ${hazard.supervised && html`<span class="badge supervised">${t('hazard.supervised')}</span>`}
    ${hazard.guest && html`<span class="badge guest">${t('hazard.guest')}</span>`}
  </span>`;
}

/** Calls onVisible when scrolled into view: the endless-scroll trigger. */
export function Sentinel({ onVisible }) {
  const ref = useRef();
  useEffect(() => {
    const observer = new IntersectionObserver((entries) => entries[0].isIntersecting && onVisible());
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [onVisible]);
  return html`<div ref=${ref} class="sentinel"></div>`;
}

export function formatDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Field errors of a 422, as { field: message }. */
export function fieldErrors(error) {
  const errors = error?.errors || {};
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : JSON.stringify(v)]));
}
