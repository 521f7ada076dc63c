// Home by role: workers scan and see their tasks; zone heads their zones and queues;
// supervisors the status board; admins their set-up screens.
import { useState } from 'preact/hooks';
import { NetworkError, query } from '../../api.js';
import { OPEN_STATUSES } from '../../generated/vocabulary.js';
import { t } from '../../i18n/index.js';
import { useStore } from '../../store.js';
import { headedZones, tasksFor } from '../../pack.js';
import { offlinePack, useApi } from '../../ui/data.js';
import { HazardList } from '../../ui/hazard-card.js';
import { html } from '../../ui/html.js';
import { Clamped, Empty, Note, Section, StaleNote } from '../../ui/kit.js';
import { HazardCardsPlaceholder, NoticePlaceholder, TilesPlaceholder, usePlaceRows } from '../../ui/skeleton.js';

const MY_ZONES = '/zones?mine=true';
const PATROL_DUE = '/zones/patrol-due';
const UNSIGNED_LETTERS = '/letters?unsigned=true';
// Rows held for a list never loaded on this phone. Three cards end near the fold of a 360–412 px
// phone, so a longer list moves only what is out of sight, a shorter one the least.
const FIRST_VISIT_ROWS = 3;
const FIRST_VISIT_TILES = 2; // one row of tiles

function HazardSection({ title, params, more }) {
  const path = `/hazards${query({ limit: 5, ...params })}`;
  const userId = useStore((s) => s.user.id);
  // No signal and no saved answer: the user's own tasks from the offline pack.
  const { data, stale, fromPack, loading, error } = useApi(path, { fallback: () => tasksFor(offlinePack(), params, userId) });
  const items = data?.items || [];
  const rows = usePlaceRows(path, data ? items.length : null, FIRST_VISIT_ROWS);
  let body = html`<${Empty} text=${t('common.none')} />`;
  if (items.length) body = html`<${HazardList} items=${items} />`;
  else if (loading) body = html`<${HazardCardsPlaceholder} n=${rows} />`;
  else if (error instanceof NetworkError) body = html`<${Note}>${t('home.list_offline')}<//>`;
  return html`<${Section} title=${title} action=${html`<a class="link" href=${`/hazards${query(more || params)}`}>${t('common.all')} ›</a>`}>
    <${StaleNote} stale=${stale} fromPack=${fromPack} />
    ${body}
  <//>`;
}

/** The zones of a useApi answer as tiles, their place held while they load. */
function ZoneTiles({ path, answer }) {
  const zones = answer.data?.items || [];
  const count = usePlaceRows(path, answer.data ? zones.length : null, FIRST_VISIT_TILES);
  if (!answer.data && answer.loading) return html`<${TilesPlaceholder} n=${count} />`;
  return html`<div class="tiles">
    ${zones.map(
      (zone) => html`<a class="tile" href=${`/zones/${zone.id}`} key=${zone.id}>
        <${Clamped} class="card-title" text=${zone.name} />
        <span class="small">${zone.code}</span>
        <span class="badges">
          <span class="badge">${t('zone.open_count', { n: zone.open_count })}</span>
          ${zone.overdue_count > 0 && html`<span class="badge overdue">${t('zone.overdue_count', { n: zone.overdue_count })}</span>`}
          ${zone.patrol_due && html`<span class="badge warn">${t('zone.patrol_due')}</span>`}
        </span>
      </a>`,
    )}
  </div>`;
}

function OutboxSummary() {
  const outbox = useStore((s) => s.outbox);
  const pending = outbox.filter((i) => i.state !== 'sent').length;
  if (!pending) return null;
  return html`<a class="card outbox-summary" href="/outbox">${t('home.outbox')}：${pending}</a>`;
}

function ScanCta() {
  return html`<a class="cta" href="/scan">
    <span class="cta-icon" aria-hidden="true">▣</span>
    <span><strong>${t('home.scan')}</strong><span class="small">${t('home.scan_hint')}</span></span>
  </a>
  <a class="button block" href="/zones">${t('home.report_without_scan')}</a>`;
}

function WorkerHome() {
  return html`<${ScanCta} />
    <${OutboxSummary} />
    <${HazardSection} title=${t('home.my_tasks')} params=${{ assignee: 'me', status: ['rectifying'] }} />
    <${HazardSection} title=${t('home.my_reports')} params=${{ reporter: 'me' }} />`;
}

function ZoneHeadHome() {
  const userId = useStore((s) => s.user.id);
  const zones = useApi(MY_ZONES, { fallback: () => headedZones(offlinePack(), userId) });
  return html`<${ScanCta} />
    <${OutboxSummary} />
    <${Section} title=${t('home.my_zones')}><${ZoneTiles} path=${MY_ZONES} answer=${zones} /><//>
    <${HazardSection} title=${t('home.to_triage')} params=${{ status: ['reported'] }} />
    <${HazardSection} title=${t('home.to_verify')} params=${{ status: ['verifying'] }} />
    <${HazardSection} title=${t('home.my_tasks')} params=${{ assignee: 'me', status: ['rectifying'] }} />`;
}

function SupervisorHome() {
  const due = useApi(PATROL_DUE);
  return html`<a class="button block primary" href="/dashboard">${t('dashboard.title')}</a>
    <${OutboxSummary} />
    <${HazardSection} title=${t('home.overdue')} params=${{ overdue: true }} />
    <${HazardSection} title=${t('home.extensions')} params=${{ extension_requested: true }} />
    <${HazardSection} title=${t('home.supervised')} params=${{ supervised: true, status: OPEN_STATUSES }} />
    <${HazardSection} title=${t('home.to_verify')} params=${{ status: ['verifying'], level: ['major'] }} />
    <${Section} title=${t('home.patrol_due')}><${ZoneTiles} path=${PATROL_DUE} answer=${due} /><//>`;
}

function AdminHome() {
  return html`<div class="menu">
    <a class="button block" href="/admin/users">${t('home.admin_users')}</a>
    <a class="button block" href="/admin/places">${t('admin.places')}</a>
    <a class="button block" href="/admin/import">${t('import.title')}</a>
    <a class="button block" href="/admin/signs">${t('home.admin_signs')}</a>
    <a class="button block" href="/admin/channels">${t('channel.title')}</a>
    <a class="button block" href="/dashboard">${t('dashboard.title')}</a>
  </div>
  <${HazardSection} title=${t('home.overdue')} params=${{ overdue: true }} />`;
}

// WeChat, WeCom, DingTalk and Feishu/Lark open links in their own web view: no home-screen app,
// and on iOS no service worker that lasts.
const IN_APP = /MicroMessenger|wxwork|DingTalk|Lark|Feishu/i;

/** Shown once: inside another app's web view (how to leave it for the browser: on iOS, Safari),
 * or on iOS Safari, where only a home-screen app keeps its data past seven idle days. */
function OfflineAdvice() {
  const [key] = useState(() => {
    const ios = /iPhone|iPad/.test(navigator.userAgent);
    const standalone = matchMedia('(display-mode: standalone)').matches || navigator.standalone;
    const inApp = IN_APP.test(navigator.userAgent) || !('serviceWorker' in navigator);
    let advice = null;
    if (inApp) advice = ios ? 'settings.webview_hint_ios' : 'settings.webview_hint';
    else if (ios && !standalone) advice = 'settings.ios_hint';
    if (!advice || localStorage.getItem('sz.advice-shown')) return null;
    localStorage.setItem('sz.advice-shown', '1');
    return advice;
  });
  return key ? html`<${Note} tone="warn">${t(key)}<//>` : null;
}

/** Party building × safety (党建+安全): activities, letters to sign, and the monthly scorecard. */
function PartyMenu({ toSign }) {
  const user = useStore((s) => s.user);
  const ranks = user.may?.includes('supervise');
  return html`<${Section} title=${t('home.party')}>
    <div class="menu party-menu">
      <a class="button block" href="/party-days">${t('party.title')}</a>
      <a class="button block" href="/letters">${t('letter.title')}${toSign > 0 && html` <b class="badge overdue">${t('letter.to_sign_n', { n: toSign })}</b>`}</a>
      ${ranks && html`<a class="button block" href="/scorecards">${t('score.title')}</a>`}
      ${!ranks && user.is_party_member && html`<a class="button block" href=${`/scorecards/members/${user.id}`}>${t('score.mine')}</a>`}
    </div>
  <//>`;
}

/** Letters waiting for the user's signature, first thing on the screen; while the answer is on
 * the way, the notice's place is held if there were letters to sign last time. */
function LettersToSign({ path, answer }) {
  const toSign = answer.data?.items?.length || 0;
  const expected = usePlaceRows(path, answer.data ? toSign : null, 0);
  if (toSign > 0) return html`<a class="card outbox-summary" href="/letters">${t('letter.to_sign_n', { n: toSign })} ›</a>`;
  if (answer.loading && expected > 0) return html`<${NoticePlaceholder} class="outbox-summary" />`;
  return null;
}

const HOMES = { worker: WorkerHome, zone_head: ZoneHeadHome, supervisor: SupervisorHome, admin: AdminHome };

export function Home() {
  const user = useStore((s) => s.user);
  const RoleHome = HOMES[user.role];
  const letters = useApi(UNSIGNED_LETTERS);
  const toSign = letters.data?.items?.length || 0;
  return html`<p class="greeting">${t('home.greeting', { name: user.name })} · ${t(`role.${user.role}`)}</p>
    <${OfflineAdvice} />
    <${LettersToSign} path=${UNSIGNED_LETTERS} answer=${letters} />
    <${RoleHome} />
    <${PartyMenu} toSign=${toSign} />`;
}
