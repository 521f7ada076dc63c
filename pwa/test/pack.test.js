// The offline pack: when it is asked for again, the lookups the offline screens use, and keeping
// it per user with its ETag.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  REFRESH_EVERY_MS,
  createPackKeeper,
  headedZones,
  patrolDue,
  isFresh,
  packCounts,
  packOf,
  placeByCode,
  postById,
  postByToken,
  shouldRefresh,
  signPath,
  partyDayById,
  taskById,
  tasksFor,
  zoneById,
  zoneByToken,
  zoneList,
} from '../src/pack.js';

const HOUR = 3600_000;
const NOW = 1_800_000_000_000;
const entry = (age, userId = 7) => ({ userId, etag: '"abc"', pack: PACK, checkedAt: NOW - age });

const PACK = {
  user_id: 7,
  zones: [
    { id: 3, code: 'XL-01', name: '钱江线', qr_token: 'tok-zone-xl01-0000' },
    { id: 1, code: 'BDZ-01', name: '主控室', qr_token: 'tok-zone-bdz01-000' },
  ],
  posts: [{ id: 5, code: 'SFG-01', name: '示范岗', qr_token: 'tok-post-sfg01-000' }],
  tasks: [{ id: 42, number: 'YH-2026-00042', zone_id: 1, allowed_actions: ['submit'] }],
  party_days: [],
};

test('the pack is asked for at start, after sign-in and on a tap, whenever online', () => {
  for (const reason of ['start', 'sign-in', 'manual']) {
    assert.equal(shouldRefresh({ entry: entry(1000), userId: 7, online: true, now: NOW, reason }), true, reason);
  }
});

test('on a timer, on coming online or back to the app: only once it is 4 hours old', () => {
  for (const reason of ['timer', 'online', 'visible']) {
    assert.equal(shouldRefresh({ entry: entry(REFRESH_EVERY_MS - 1), userId: 7, online: true, now: NOW, reason }), false);
    assert.equal(shouldRefresh({ entry: entry(REFRESH_EVERY_MS), userId: 7, online: true, now: NOW, reason }), true);
  }
  assert.equal(REFRESH_EVERY_MS, 4 * HOUR);
});

test('never offline or signed out', () => {
  assert.equal(shouldRefresh({ entry: null, userId: 7, online: false, now: NOW, reason: 'start' }), false);
  assert.equal(shouldRefresh({ entry: null, userId: null, online: true, now: NOW, reason: 'manual' }), false);
});

test('no pack, another user\'s pack, or a clock set back make it stale', () => {
  const timer = (e) => shouldRefresh({ entry: e, userId: 7, online: true, now: NOW, reason: 'timer' });
  assert.equal(timer(null), true);
  assert.equal(timer(entry(HOUR, 8)), true);
  assert.equal(timer(entry(-HOUR)), true);
  assert.equal(isFresh(entry(HOUR), 7, NOW), true);
});

test('another user\'s pack is never read', () => {
  assert.equal(packOf(entry(0, 8), 7), null);
  assert.equal(packOf(entry(0, 7), 7), PACK);
  assert.equal(packOf(null, 7), null);
});

test('a sign\'s token finds its zone or post; a Party day\'s or an unknown one nothing', () => {
  assert.equal(zoneByToken(PACK, 'tok-zone-bdz01-000').code, 'BDZ-01');
  assert.equal(postByToken(PACK, 'tok-post-sfg01-000').code, 'SFG-01');
  assert.equal(zoneByToken(PACK, 'tok-post-sfg01-000'), null);
  assert.equal(signPath(PACK, 'z', 'tok-zone-xl01-0000'), '/zones/3');
  assert.equal(signPath(PACK, 'p', 'tok-post-sfg01-000'), '/posts/5');
  assert.equal(signPath(PACK, 'z', 'tok-other-units-zone'), null);
  assert.equal(signPath(PACK, 'd', 'tok-zone-xl01-0000'), null);
  assert.equal(signPath(null, 'z', 'tok-zone-xl01-0000'), null);
});

test('a typed code: trimmed, any case, a zone before a post', () => {
  assert.deepEqual(placeByCode(PACK, '  bdz-01 '), { kind: 'zone', place: PACK.zones[1] });
  assert.deepEqual(placeByCode(PACK, 'sfg-01'), { kind: 'post', place: PACK.posts[0] });
  assert.equal(placeByCode(PACK, 'BDZ-09'), null);
  assert.equal(placeByCode(PACK, '   '), null);
  const clash = { ...PACK, posts: [{ ...PACK.posts[0], code: 'BDZ-01' }] };
  assert.equal(placeByCode(clash, 'BDZ-01').kind, 'zone');
});

test('by id (from a path: a string) and the zone list by code', () => {
  assert.equal(zoneById(PACK, '3').name, '钱江线');
  assert.equal(postById(PACK, 5).name, '示范岗');
  assert.equal(taskById(PACK, '42').number, 'YH-2026-00042');
  assert.equal(taskById(PACK, '43'), null);
  assert.deepEqual(zoneList(PACK).map((z) => z.code), ['BDZ-01', 'XL-01']);
  assert.deepEqual(zoneList(null), []);
  assert.deepEqual(packCounts(PACK), { zones: 2, posts: 1, tasks: 1 });
});

function memoryStore() {
  let value = null;
  return { get: async () => value, put: async (e) => void (value = structuredClone(e)), clear: async () => void (value = null) };
}

test('the keeper sends the ETag it has, keeps the pack on a 304 and replaces it on a 200', async () => {
  const store = memoryStore();
  const sent = [];
  const answers = [
    { status: 200, etag: '"v1"', body: PACK },
    { status: 304 },
    { status: 200, etag: '"v2"', body: { ...PACK, zones: [] } },
  ];
  let clock = NOW;
  const keeper = createPackKeeper({ store, now: () => clock, fetchPack: async (etag) => (sent.push(etag), answers.shift()) });
  const first = await keeper.refresh(7);
  assert.equal(first.etag, '"v1"');
  clock += HOUR;
  const second = await keeper.refresh(7);
  assert.deepEqual([second.etag, second.checkedAt, second.pack], ['"v1"', NOW + HOUR, PACK]);
  const third = await keeper.refresh(7);
  assert.deepEqual(third.pack.zones, []);
  assert.deepEqual(sent, [null, '"v1"', '"v1"']);
});

test('another user\'s stored pack is neither sent nor loaded, and is replaced', async () => {
  const store = memoryStore();
  await store.put(entry(0, 8));
  const sent = [];
  const keeper = createPackKeeper({ store, now: () => NOW, fetchPack: async (etag) => (sent.push(etag), { status: 200, etag: '"u7"', body: PACK }) });
  assert.equal(await keeper.load(7), null);
  await keeper.refresh(7);
  assert.deepEqual(sent, [null]);
  assert.equal((await keeper.load(7)).etag, '"u7"');
  await keeper.clear();
  assert.equal(await keeper.load(7), null);
});

test('no answer keeps the pack there was; two refreshes at once send one request', async () => {
  const store = memoryStore();
  await store.put(entry(0, 7));
  let calls = 0;
  const keeper = createPackKeeper({ store, now: () => NOW, fetchPack: async () => {
    calls += 1;
    throw new Error('offline');
  } });
  const [a, b] = await Promise.allSettled([keeper.refresh(7), keeper.refresh(7)]);
  assert.equal(a.status, 'rejected');
  assert.equal(b.status, 'rejected');
  assert.equal(calls, 1);
  assert.deepEqual((await keeper.load(7)).pack, PACK);
});

test('the home lists its own tasks from the pack, only for filters the pack can answer', () => {
  const pack = {
    zones: [{ id: 2, code: 'B', head: { id: 7 } }, { id: 1, code: 'A', head: { id: 7 } }, { id: 3, code: 'C', head: { id: 8 } }],
    tasks: [
      { id: 1, status: 'rectifying', assignee: { id: 7 }, reporter: { id: 9 } },
      { id: 2, status: 'reported', assignee: null, reporter: { id: 7 } },
      { id: 3, status: 'rectifying', assignee: { id: 8 }, reporter: { id: 7 } },
    ],
    party_days: [{ id: 5, theme: 'x' }],
  };
  const ids = (answer) => answer.items.map((item) => item.id);
  assert.deepEqual(ids(tasksFor(pack, { assignee: 'me', status: ['rectifying'] }, 7)), [1]);
  assert.equal(tasksFor(pack, { reporter: 'me' }, 7), null);
  assert.deepEqual(ids(tasksFor(pack, { status: ['reported'] }, 7)), [2]);
  assert.deepEqual(ids(tasksFor(pack, { status: ['rectifying'] }, 7, 1)), [1]);
  assert.equal(tasksFor(pack, { overdue: true }, 7), null);
  assert.equal(tasksFor(null, { status: ['reported'] }, 7), null);
  assert.deepEqual(ids(headedZones(pack, 7)), [1, 2]);
  assert.equal(headedZones(null, 7), null);
  assert.equal(partyDayById(pack, '5').theme, 'x');
  assert.equal(partyDayById(pack, 6), null);
});

test('a zone of the pack is due for a patrol by its last patrol and interval, told at the moment asked', () => {
  const day = 86_400_000;
  const now = Date.parse('2026-11-30T08:00:00Z');
  const zone = (last) => ({ patrol_interval_days: 7, last_patrol_at: last });
  assert.equal(patrolDue(zone(null), now), true);
  assert.equal(patrolDue(zone('2026-11-25T08:00:00Z'), now), false);
  assert.equal(patrolDue(zone('2026-11-23T07:59:00Z'), now), true);
  // the pack was made when the patrol was not due; a week later the tile says it is
  const pack = { zones: [{ id: 1, code: 'A', head: { id: 7 }, ...zone('2026-11-29T08:00:00Z') }] };
  assert.equal(headedZones(pack, 7, now).items[0].patrol_due, false);
  assert.equal(headedZones(pack, 7, now + 7 * day).items[0].patrol_due, true);
});
