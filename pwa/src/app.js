// Which screen to show: sign-in until there is a user, then the route's screen in the shell.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';
import { outboxStore } from './db.js';
import { onLocaleChange, t } from './i18n/index.js';
import { useRoute } from './router.js';
import { useStore } from './store.js';
import { html } from './ui/html.js';
import { lazyView } from './ui/lazy.js';
import { Shell } from './ui/shell.js';
import { Login } from './views/accounts/login.js';
import { Settings } from './views/accounts/settings.js';
import { Patrol } from './views/field/patrol.js';
import { PublicFrame, PublicZone, Receipt, ReceiptLookup } from './views/loop/guest-reports.js';
import { List } from './views/loop/hazard-list.js';
import { Hazard } from './views/loop/hazard.js';
import { Inbox } from './views/loop/inbox.js';
import { Report } from './views/loop/report.js';
import { IssueLetter, Letter, Letters } from './views/party/letters.js';
import { PartyDay, PartyDays, PlanPartyDay } from './views/party/party-days.js';
import { ScoreCard, Scorecards } from './views/party/scorecards.js';
import { Post } from './views/places/post.js';
import { ByToken, Scan } from './views/places/scan.js';
import { Zone, Zones } from './views/places/zone.js';
import { Home } from './views/platform/home.js';
import { Outbox } from './views/platform/outbox.js';

// The supervisor's and the admin's screens: chunks of their own, loaded when first opened.
const AdminImport = lazyView(() => import('./views/accounts/admin-import.js'), 'AdminImport');
const AdminUsers = lazyView(() => import('./views/accounts/admin-users.js'), 'AdminUsers');
const UserEdit = lazyView(() => import('./views/accounts/user-edit.js'), 'UserEdit');
const Dashboard = lazyView(() => import('./views/insight/dashboard.js'), 'Dashboard');
const MonthlyReport = lazyView(() => import('./views/insight/monthly-report.js'), 'MonthlyReport');
const AdminPlaces = lazyView(() => import('./views/places/admin-places.js'), 'AdminPlaces');
const PostEdit = lazyView(() => import('./views/places/place-edit.js'), 'PostEdit');
const ZoneEdit = lazyView(() => import('./views/places/place-edit.js'), 'ZoneEdit');
const AdminSigns = lazyView(() => import('./views/places/sign-sheets.js'), 'AdminSigns');
const AdminChannels = lazyView(() => import('./views/platform/channels.js'), 'AdminChannels');
const ChannelEdit = lazyView(() => import('./views/platform/channels.js'), 'ChannelEdit');
const AdminDeliveries = lazyView(() => import('./views/platform/deliveries.js'), 'AdminDeliveries');

function EditReport({ id }) {
  const [item, setItem] = useState(null);
  useEffect(() => {
    outboxStore.get(id).then(setItem);
  }, [id]);
  const body = item?.request.body;
  return item ? html`<${Report} zoneId=${body.zone_id} zoneToken=${body.zone_token} editing=${item} />` : null;
}

const SCREENS = {
  home: { title: () => t('app.name'), view: () => html`<${Home} />` },
  scan: { title: () => t('scan.title'), view: () => html`<${Scan} />` },
  zoneByToken: { title: () => t('app.name'), view: ({ params }) => html`<${ByToken} token=${params.token} kind="z" key=${params.token} />` },
  reportBySign: { title: () => t('report.title'), back: true, view: ({ params }) => html`<${Report} zoneToken=${params.token} />` },
  postByToken: { title: () => t('app.name'), view: ({ params }) => html`<${ByToken} token=${params.token} kind="p" key=${params.token} />` },
  partyDayByToken: { title: () => t('app.name'), view: ({ params }) => html`<${ByToken} token=${params.token} kind="d" key=${params.token} />` },
  receiptLookup: { title: () => t('public.follow'), back: true, view: () => html`<${ReceiptLookup} />` },
  receipt: { title: () => t('public.receipt'), back: true, view: ({ params, query }) => html`<${Receipt} code=${params.code} isNew=${Boolean(query.new)} />` },
  partyDays: { title: () => t('party.title'), back: true, view: () => html`<${PartyDays} />` },
  planPartyDay: { title: () => t('party.plan'), back: true, view: () => html`<${PlanPartyDay} />` },
  partyDay: { title: () => t('party.title'), back: true, view: ({ params, query }) => html`<${PartyDay} id=${params.id} token=${query.token} key=${params.id} />` },
  letters: { title: () => t('letter.title'), back: true, view: () => html`<${Letters} />` },
  issueLetter: { title: () => t('letter.issue'), back: true, view: () => html`<${IssueLetter} />` },
  letter: { title: () => t('letter.title'), back: true, view: ({ params }) => html`<${Letter} id=${params.id} key=${params.id} />` },
  scorecards: { title: () => t('score.title'), back: true, view: ({ query }) => html`<${Scorecards} initial=${query} />` },
  scoreCard: { title: () => t('score.title'), back: true, view: ({ params, query }) => html`<${ScoreCard} kind=${params.kind} id=${params.id} month=${query.month} key=${params.kind + params.id + query.month} />` },
  zones: { title: () => t('zone.pick'), back: true, view: () => html`<${Zones} />` },
  zone: { title: () => t('report.zone'), back: true, view: ({ params }) => html`<${Zone} id=${params.id} />` },
  report: { title: () => t('report.title'), back: true, view: ({ params }) => html`<${Report} zoneId=${params.id} />` },
  editReport: { title: () => t('report.title'), back: true, view: ({ params }) => html`<${EditReport} id=${params.id} />` },
  patrol: { title: () => t('patrol.title'), back: true, view: ({ params }) => html`<${Patrol} zoneId=${params.id} />` },
  post: { title: () => t('post.checkin'), back: true, view: ({ params }) => html`<${Post} id=${params.id} />` },
  list: { title: () => t('list.title'), view: ({ query }) => html`<${List} initial=${query} key=${JSON.stringify(query)} />` },
  hazard: { title: () => t('hazard.title'), back: true, view: ({ params }) => html`<${Hazard} id=${params.id} key=${params.id} />` },
  inbox: { title: () => t('inbox.title'), view: () => html`<${Inbox} />` },
  outbox: { title: () => t('outbox.title'), back: true, view: () => html`<${Outbox} />` },
  settings: { title: () => t('settings.title'), view: () => html`<${Settings} />` },
  dashboard: { title: () => t('dashboard.title'), back: true, view: () => html`<${Dashboard} />` },
  monthlyReport: { title: () => t('monthly.title'), back: true, view: ({ query }) => html`<${MonthlyReport} initial=${query} />` },
  adminUsers: { title: () => t('admin.users'), back: true, view: () => html`<${AdminUsers} />` },
  adminSigns: { title: () => t('admin.signs'), back: true, view: () => html`<${AdminSigns} />` },
  adminPlaces: { title: () => t('admin.places'), back: true, view: () => html`<${AdminPlaces} />` },
  adminImport: { title: () => t('import.title'), back: true, view: () => html`<${AdminImport} />` },
  adminZone: { title: () => t('admin.edit_zone'), back: true, view: ({ params }) => html`<${ZoneEdit} id=${params.id} key=${params.id} />` },
  adminPost: { title: () => t('admin.edit_post'), back: true, view: ({ params }) => html`<${PostEdit} id=${params.id} key=${params.id} />` },
  adminUser: { title: () => t('admin.edit_user'), back: true, view: ({ params }) => html`<${UserEdit} id=${params.id} key=${params.id} />` },
  adminChannels: { title: () => t('channel.title'), back: true, view: () => html`<${AdminChannels} />` },
  adminChannel: { title: () => t('channel.edit'), back: true, view: ({ params }) => html`<${ChannelEdit} id=${params.id} key=${params.id} />` },
  adminDeliveries: { title: () => t('delivery.title'), back: true, view: ({ query }) => html`<${AdminDeliveries} initial=${query} />` },
};

/** What someone without an account may open: a zone's public board from its sign, receipts. */
const PUBLIC_SCREENS = {
  zoneByToken: ({ params }) => html`<${PublicZone} token=${params.token} />`,
  receiptLookup: () => html`<${ReceiptLookup} />`,
  receipt: ({ params, query }) => html`<${Receipt} code=${params.code} isNew=${Boolean(query.new)} key=${params.code} />`,
};

/** The inbox badge, refreshed on every screen change. */
function useUnread(user, route) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (user) get('/notifications?limit=1&unread=true').then((page) => setUnread(page.unread_count), () => {});
  }, [user, route]);
  return unread;
}

export function App() {
  const user = useStore((s) => s.user);
  const route = useRoute();
  const [, setLocaleTick] = useState(0);
  useEffect(() => onLocaleChange(() => setLocaleTick((n) => n + 1)), []);
  const unread = useUnread(user, route);
  if (!user) return PUBLIC_SCREENS[route.name] ? html`<${PublicFrame}>${PUBLIC_SCREENS[route.name](route)}<//>` : html`<${Login} next=${route.query.next} ssoError=${route.query.sso_error} />`;
  const screen = user.must_change_password ? SCREENS.settings : SCREENS[route.name] || SCREENS.home;
  return html`<${Shell} title=${screen.title()} back=${screen.back} route=${route} unread=${unread}>
    ${screen.view(route)}
  <//>`;
}
