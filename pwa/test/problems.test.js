// Failures in the user's words: a 5xx or a proxy's bare page, storage full, no signal, the
// server's own reason, and anything else, never the browser's text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, NetworkError } from '../src/api.js';
import { CATALOGS, loadCatalog, setLocale, t } from '../src/i18n/index.js';
import { createOutbox } from '../src/outbox.js';
import { isStorageFull, problemText } from '../src/problems.js';

const noStorage = { getItem: () => null, setItem: () => {} };
await setLocale('zh-CN', noStorage);

test('a 5xx says the server had a problem, with a problem detail or a proxy page alike', () => {
  assert.equal(new ApiError(502, {}).message, t('problem.server'));
  assert.equal(new ApiError(500, { detail: 'Internal Server Error' }).message, t('problem.server'));
  assert.equal(problemText(new ApiError(504, {})), t('problem.server'));
  assert.ok(!problemText(new ApiError(502, {})).includes('HTTP'));
});

test("a refusal keeps the server's reason, and a bare status is said in our words", () => {
  assert.equal(problemText(new ApiError(409, { detail: '责任区已停用' })), '责任区已停用');
  assert.equal(new ApiError(418, {}).message, t('problem.refused', { status: 418 }));
  assert.ok(!new ApiError(418, {}).message.includes('HTTP'));
});

test('storage full says the phone is full and what to do', () => {
  const quota = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
  assert.ok(isStorageFull(quota));
  assert.equal(problemText(quota), t('problem.storage_full'));
  assert.match(t('problem.storage_full'), /存储空间已满/);
  assert.ok(!isStorageFull(new Error('x')));
});

test("no signal and the browser's own errors never show the browser's words", () => {
  assert.equal(problemText(new NetworkError('Failed to fetch')), t('net.unreachable'));
  assert.equal(problemText(new TypeError("Cannot read properties of undefined (reading 'x')")), t('problem.unexpected'));
  assert.equal(problemText(null), t('problem.unexpected'));
});

test('every problem text is in both catalogs', async () => {
  assert.ok(await loadCatalog('en'));
  for (const key of ['problem.server', 'problem.refused', 'problem.storage_full', 'problem.unexpected', 'outbox.server_retry']) {
    assert.ok(CATALOGS['zh-CN'][key] && CATALOGS.en[key], key);
  }
});

test('the outbox keeps a 5xx item waiting with our words, and fails a 4xx with the reason', async () => {
  const items = new Map();
  const store = {
    all: async () => [...items.values()],
    get: async (id) => items.get(id),
    put: async (item) => items.set(item.id, structuredClone(item)),
    delete: async (id) => items.delete(id),
    getBlob: async () => null,
    deleteBlob: async () => {},
  };
  let answer = new ApiError(502, {});
  const sender = {
    send: async () => {
      throw answer;
    },
  };
  const outbox = createOutbox({ store, sender, now: () => 0, random: () => 0 });
  await outbox.add({ id: 'a', userId: 1, kind: 'hazard', path: '/hazards', body: {} });
  await outbox.flush(1, { force: true });
  assert.deepEqual([items.get('a').state, items.get('a').error.message], ['waiting', t('problem.server')]);
  answer = new TypeError('Failed to fetch');
  await outbox.flush(1, { force: true });
  assert.equal(items.get('a').error.message, t('problem.unexpected'));
});
