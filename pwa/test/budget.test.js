// DESIGN §8 byte budgets on the built output (run after `npm run build`).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const KB = 1024;

function load() {
  assert.ok(existsSync(new URL('meta.json', dist)), 'dist/ is missing: run `npm run build` first');
  return JSON.parse(readFileSync(new URL('meta.json', dist), 'utf8'));
}

const gzipped = (path) => gzipSync(readFileSync(new URL(path.replace(/^\//, ''), dist))).length;
const assetPath = (file) => `/${file.slice(file.indexOf('assets/'))}`;

/** The app entry and every chunk it imports statically: what must load before the first screen. */
function criticalJs(meta) {
  const outputs = meta.metafile.outputs;
  const byUrl = Object.fromEntries(Object.entries(outputs).map(([file, out]) => [assetPath(file), out]));
  const seen = new Set();
  const visit = (url) => {
    if (seen.has(url)) return;
    seen.add(url);
    for (const imported of byUrl[url].imports) if (imported.kind === 'import-statement') visit(assetPath(imported.path));
  };
  visit(meta.app);
  return [...seen];
}

test('the app shell on the critical path is at most 60 KB gzip', () => {
  const meta = load();
  const total = gzipped('index.html') + gzipped(meta.css) + criticalJs(meta).reduce((sum, url) => sum + gzipped(url), 0);
  console.log(`critical path: ${(total / KB).toFixed(1)} KB gzip`);
  assert.ok(total <= 60 * KB, `${total} bytes`);
});

test('all JS, except the lazily loaded QR reader, is at most 100 KB gzip', () => {
  const meta = load();
  const js = Object.entries(meta.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const scanner = js.filter(([, out]) => Object.keys(out.inputs).some((input) => input.includes('barcode-detector')));
  assert.equal(scanner.length, 1, 'the QR reader is one lazy chunk');
  assert.ok(!criticalJs(meta).includes(assetPath(scanner[0][0])), 'and not on the critical path');
  const total = js.filter((entry) => entry !== scanner[0]).reduce((sum, [file]) => sum + gzipped(assetPath(file)), 0);
  console.log(`all JS but the QR reader: ${(total / KB).toFixed(1)} KB gzip`);
  assert.ok(total <= 100 * KB, `${total} bytes`);
});

test('nothing in the build points at another origin at run time', () => {
  const meta = load();
  const sw = readFileSync(new URL('sw.js', dist), 'utf8');
  assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(readFileSync(new URL('index.html', dist), 'utf8')));
  assert.ok(sw.includes(meta.wasm), 'the QR reader .wasm is precached from our origin');
});
