// Router, compression sizing, scanned URLs, and catalog completeness.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { CATALOGS, loadCatalog, setLocale, t } from '../src/i18n/index.js';
import { match } from '../src/router.js';
import { targetSize } from '../src/photos.js';
import { tokenFromUrl } from '../src/views/places/scan.js';

test('routes and their parameters', () => {
  assert.deepEqual(match('/z/abcDEF123456789012'), { name: 'zoneByToken', params: { token: 'abcDEF123456789012' }, query: {} });
  assert.deepEqual(match('/hazards/42').params, { id: '42' });
  assert.equal(match('/zones/3/report').name, 'report');
  assert.deepEqual(match('/hazards', '?status=closed&overdue=true').query, { status: 'closed', overdue: 'true' });
  assert.equal(match('/nowhere/at/all').name, 'home');
  assert.equal(match('/outbox/').name, 'outbox');
});

test('photos shrink to 1600 px on the long edge, never grow, keep their shape', () => {
  assert.deepEqual(targetSize(4000, 3000), { width: 1600, height: 1200 });
  assert.deepEqual(targetSize(3000, 4000), { width: 1200, height: 1600 });
  assert.deepEqual(targetSize(800, 600), { width: 800, height: 600 });
  assert.deepEqual(targetSize(9000, 10), { width: 1600, height: 2 });
  assert.deepEqual(targetSize(1, 5000), { width: 1, height: 1600 });
});

test('only our own sign URLs open a zone or post', () => {
  const origin = 'https://aq.example.cn';
  assert.deepEqual(tokenFromUrl(`${origin}/z/AbCdEfGhIjKlMnOpQr_-12`, origin), { kind: 'z', token: 'AbCdEfGhIjKlMnOpQr_-12' });
  assert.equal(tokenFromUrl('https://evil.example/z/AbCdEfGhIjKlMnOpQr_-12', origin), null);
  assert.equal(tokenFromUrl(`${origin}/hazards/1`, origin), null);
  assert.equal(tokenFromUrl('not a url', origin), null);
  assert.deepEqual(tokenFromUrl(`${origin}/d/AbCdEfGhIjKlMnOpQr_-12`, origin), { kind: 'd', token: 'AbCdEfGhIjKlMnOpQr_-12' });
});

test('both catalogs have the same keys, and every key used in the code exists', async () => {
  assert.ok(await loadCatalog('en'));
  assert.deepEqual(Object.keys(CATALOGS.en).sort(), Object.keys(CATALOGS['zh-CN']).sort());
  const used = new Set();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.js')) for (const m of readFileSync(path, 'utf8').matchAll(/\bt\('([a-z_]+\.[a-z_.]+)'/g)) used.add(m[1]);
    }
  };
  walk(new URL('../src', import.meta.url).pathname);
  const missing = [...used].filter((key) => !(key in CATALOGS['zh-CN']));
  assert.deepEqual(missing, []);
});

test('translation fills parameters and falls back to Chinese', async () => {
  await setLocale('en', null);
  assert.equal(t('sync.waiting', { n: 3 }), '3 waiting');
  await setLocale('zh-CN', null);
  assert.equal(t('sync.waiting', { n: 3 }), '3 条待发送');
  assert.equal(t('no.such.key'), 'no.such.key');
});
