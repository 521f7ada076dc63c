// The zone opened to the public: what anyone who scans its sign sees without an account (the
// board), a guest's report with photos, and following it by its receipt code.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NetworkError, get, request } from '../../api.js';
import { outboxStore } from '../../db.js';
import { getLocale, setLocale, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { signInPath } from '../../routes.js';
import { html } from '../../ui/html.js';
import { ErrorNote, Field, Loading, Note, StatusBadge, formatDateTime } from '../../ui/kit.js';
import { PhotoPicker } from '../../ui/photo-picker.js';
import { HazardFields } from './report.js';
import { problemText } from '../../problems.js';

const RECEIPTS_KEY = 'sz.receipts';

/** Receipts kept on this phone, newest first, so a guest can find them again. */
function savedReceipts() {
  try {
    return JSON.parse(localStorage.getItem(RECEIPTS_KEY)) || [];
  } catch {
    return [];
  }
}

function keepReceipt(receipt) {
  const others = savedReceipts().filter((r) => r.code !== receipt.code);
  localStorage.setItem(RECEIPTS_KEY, JSON.stringify([receipt, ...others].slice(0, 20)));
}

/** The frame of the public pages: brand, language, and the way to sign in for staff. */
export function PublicFrame({ children }) {
  const other = getLocale() === 'zh-CN' ? 'en' : 'zh-CN';
  return html`<div class="app public">
    <header class="topbar">
      <span class="logo" aria-hidden="true">安</span>
      <h1>${t('app.name')}</h1>
      <button class="button small" onClick=${() => setLocale(other)}>${other === 'en' ? 'EN' : '中文'}</button>
      <a class="button small" href=${signInPath(location.pathname + location.search)}>${t('public.staff_sign_in')}</a>
    </header>
    <main class="content">${children}</main>
  </div>`;
}

function useLoad(path) {
  const [state, setState] = useState({ data: null, error: null });
  const load = () =>
    get(path).then(
      (data) => setState({ data, error: null }),
      (error) => setState({ data: null, error }),
    );
  useEffect(() => {
    load();
  }, [path]);
  return { ...state, reload: load };
}

export function PublicZone({ token }) {
  const board = useLoad(`/public/zones/${encodeURIComponent(token)}`);
  const [reporting, setReporting] = useState(false);
  if (board.error) {
    const unknown = board.error instanceof ApiError && board.error.status === 404;
    return unknown ? html`<${Note} tone="error">${t('scan.unknown')}<//>` : html`<${ErrorNote} error=${board.error} onRetry=${board.reload} />`;
  }
  if (!board.data) return html`<${Loading} />`;
  const z = board.data;
  return html`<div class="place">
      <p class="code">${z.code}</p>
      <h2>${z.name}</h2>
      <p class="small muted">${z.unit_name}</p>
      <p>${t('zone.head')}：<strong>${z.head_name || t('public.head_hidden')}</strong></p>
      ${z.responsibilities && html`<p class="text"><span class="muted">${t('zone.responsibilities')}：</span>${z.responsibilities}</p>`}
    </div>
    <div class="figures">
      <div class="figure"><strong>${z.open}</strong><span>${t('public.open')}</span></div>
      <div class="figure"><strong class=${z.overdue ? 'overdue-text' : ''}>${z.overdue}</strong><span>${t('public.overdue')}</span></div>
      <div class="figure"><strong>${z.closed_this_month}</strong><span>${t('public.closed_this_month')}</span></div>
    </div>
    ${z.guest_reports
      ? reporting
        ? html`<${GuestReport} token=${token} />`
        : html`<button class="button primary block big" onClick=${() => setReporting(true)}>${t('public.report')}</button>
            <p class="small muted center">${t('public.report_hint')}</p>`
      : html`<${Note}>${t('public.no_guest_reports')}<//>`}
    <p class="center"><a class="link" href="/r">${t('public.follow')}</a></p>`;
}

function GuestReport({ token }) {
  const [form, setForm] = useState({ category: 'other', title: '', description: '', phone: '' });
  const [photos, setPhotos] = useState([]);
  // The same on every retry, body included, so a report whose answer was lost is found, not refused.
  const [clientUuid] = useState(() => crypto.randomUUID());
  const [clientAt] = useState(() => new Date().toISOString());
  const [state, setState] = useState({ busy: false, error: null });
  const set = (patch) => setForm((f) => ({ ...f, ...patch }));

  async function submit(event) {
    event.preventDefault();
    if (!photos.length) return setState({ busy: false, error: t('report.need_photo') });
    setState({ busy: true, error: null });
    const body = new FormData();
    body.set('client_uuid', clientUuid);
    body.set('title', form.title.trim());
    body.set('description', form.description.trim());
    body.set('category', form.category);
    body.set('client_at', clientAt);
    if (form.phone.trim()) body.set('phone', form.phone.trim());
    for (const photo of photos) {
      const stored = await outboxStore.getBlob(photo.blobId);
      body.append('photos', stored.blob, `${photo.uuid}.jpg`);
    }
    try {
      const { body: receipt } = await request('POST', `/public/zones/${encodeURIComponent(token)}/reports`, { form: body });
      keepReceipt({ code: receipt.receipt, number: receipt.number, at: receipt.reported_at });
      await Promise.all(photos.map((p) => outboxStore.deleteBlob(p.blobId)));
      navigate(`/r/${receipt.receipt}?new=1`, { replace: true });
    } catch (caught) {
      let message = problemText(caught);
      if (caught instanceof NetworkError) message = t('public.offline');
      else if (caught instanceof ApiError && caught.status === 429) {
        message = t('public.too_many', { minutes: Math.max(1, Math.ceil((caught.retryAfter || 60) / 60)) });
      }
      setState({ busy: false, error: message });
    }
  }

  return html`<form class="form" onSubmit=${submit}>
    <${HazardFields} form=${form} set=${set} />
    <${PhotoPicker} label=${t('report.photos')} photos=${photos} onChange=${setPhotos} group="guest" max=${3} />
    <${Field} label=${t('public.phone')} hint=${t('public.phone_hint')}>
      <input type="tel" inputmode="tel" maxlength="32" autocomplete="tel" value=${form.phone}
        onInput=${(e) => set({ phone: e.target.value })} />
    <//>
    ${state.error && html`<${Note} tone="error">${state.error}<//>`}
    <button class="button primary block big" disabled=${state.busy}>${state.busy ? t('outbox.sending') : t('report.submit')}</button>
  </form>`;
}

const MILESTONES = [
  ['reported_at', 'public.reported_at'],
  ['confirmed_at', 'public.confirmed_at'],
  ['closed_at', 'public.closed_at'],
  ['rejected_at', 'public.rejected_at'],
];

/** A receipt: its own hazard's progress only. */
export function Receipt({ code, isNew }) {
  const found = useLoad(`/public/receipts/${encodeURIComponent(code)}`);
  if (found.error) {
    const unknown = found.error instanceof ApiError && found.error.status === 404;
    return html`${unknown ? html`<${Note} tone="error">${t('public.receipt_unknown')}<//>` : html`<${ErrorNote} error=${found.error} onRetry=${found.reload} />`}
      <${ReceiptLookup} />`;
  }
  if (!found.data) return html`<${Loading} />`;
  const r = found.data;
  return html`${isNew && html`<${Note} tone="success">${t('public.thanks')}<//>`}
    <div class="receipt">
      <span class="small muted">${t('public.receipt')}</span>
      <strong class="receipt-code">${code}</strong>
      <button class="button small" onClick=${() => navigator.clipboard?.writeText(code)}>${t('common.copy')}</button>
      <span class="small">${t('public.receipt_hint')}</span>
    </div>
    <div class="place">
      <p class="code">${r.number}</p>
      <h2>${r.title}</h2>
      <p class="small muted">${r.zone_name}</p>
      <p class="badges"><${StatusBadge} status=${r.status} />${r.overdue && html`<span class="badge overdue">${t('hazard.overdue')}</span>`}</p>
      <dl class="facts">
        ${MILESTONES.filter(([key]) => r[key]).map(
          ([key, label]) => html`<div class="fact" key=${key}><dt>${t(label)}</dt><dd>${formatDateTime(r[key])}</dd></div>`,
        )}
        ${r.deadline && html`<div class="fact"><dt>${t('hazard.deadline')}</dt><dd>${r.deadline}</dd></div>`}
      </dl>
    </div>`;
}

/** Type a receipt code, or pick one kept on this phone. */
export function ReceiptLookup() {
  const [code, setCode] = useState('');
  const kept = savedReceipts();
  return html`<form class="form inline" onSubmit=${(e) => { e.preventDefault(); navigate(`/r/${code.trim().toUpperCase()}`); }}>
      <${Field} label=${t('public.receipt_code')}>
        <input required value=${code} placeholder="ABCD-EFGH-JKLM-NPQR" autocapitalize="characters" onInput=${(e) => setCode(e.target.value)} />
      <//>
      <button class="button primary">${t('scan.open')}</button>
    </form>
    ${kept.length > 0 && html`<ul class="rows">${kept.map(
      (r) => html`<li key=${r.code}><a class="link" href=${`/r/${r.code}`}>${r.number}</a> <span class="small muted">${formatDateTime(r.at)}</span></li>`,
    )}</ul>`}`;
}
