// The route table's readers on the PWA side: the router, the service worker's navigation
// fallback and the app's screens all follow routes.json (Flask's side: tests/platform/test_shell_routes.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { match } from '../src/router.js';
import { ROUTES } from '../src/routes.js';

const ORIGIN = 'https://aq.example.cn';
const sample = (pattern) => pattern.replace(/:\w+/g, '1');
const NOT_ROUTES = ['/nowhere', '/zones/1/report/more', '/hazards/1/notice', '/signs', '/scorecards/members', '/admin'];

/** The service worker's fetch handler, run in a stand-in for its global scope. */
async function serviceWorker() {
  const handlers = {};
  Object.assign(globalThis, {
    __PRECACHE__: [],
    __VERSION__: 'test',
    self: { addEventListener: (type, handler) => (handlers[type] = handler) },
    location: { origin: ORIGIN },
    caches: { open: async () => ({ match: async () => new Response('shell') }) },
  });
  await import('../src/sw.js');
  /** Whether the worker answers a navigation to the path itself (with the shell). */
  return (path) => {
    let answered = false;
    handlers.fetch({ request: { method: 'GET', mode: 'navigate', url: ORIGIN + path }, respondWith: () => (answered = true) });
    return answered;
  };
}

test('the router opens each route by its name', () => {
  for (const [pattern, name] of ROUTES) assert.equal(match(sample(pattern)).name, name, pattern);
});

test('the service worker answers navigations with the shell on the routes only', async () => {
  const answers = await serviceWorker();
  for (const [pattern] of ROUTES) assert.ok(answers(sample(pattern)), pattern);
  for (const path of NOT_ROUTES) assert.ok(!answers(path), path);
});

test('every route has a screen, and every screen a route', () => {
  const app = readFileSync(new URL('../src/app.js', import.meta.url), 'utf8');
  const screens = app.match(/const SCREENS = \{\n([\s\S]*?)\n\};/)[1].match(/^ {2}\w+(?=:)/gm).map((key) => key.trim());
  assert.deepEqual(screens.sort(), ROUTES.map(([, name]) => name).sort());
});

test('after sign-in, only the app\'s own paths on this origin are a place to return to', async () => {
  const { returnPath, signInPath } = await import('../src/routes.js');
  assert.equal(returnPath('/z/abc', ORIGIN), '/z/abc');
  assert.equal(returnPath('/hazards/12?tab=photos', ORIGIN), '/hazards/12?tab=photos');
  assert.equal(returnPath('/p/x%2Fy', ORIGIN), '/p/x%2Fy');
  for (const bad of ['https://evil.example/z/abc', '//evil.example/z/abc', '/\\evil.example', '/nowhere', 'z/abc', '', undefined, 'javascript:alert(1)', '/%2F%2Fevil.example']) {
    assert.equal(returnPath(bad, ORIGIN), null, bad);
  }
  assert.equal(signInPath('/z/abc'), '/?next=%2Fz%2Fabc');
  assert.equal(returnPath(new URLSearchParams(signInPath('/z/a b').slice(2)).get('next'), ORIGIN), '/z/a%20b');
  assert.equal(signInPath('/'), '/');
});
