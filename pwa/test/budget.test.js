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

/** The one output holding `input` (a package's path): a lazily loaded chunk of its own. */
function lazyChunk(meta, input) {
  const js = Object.entries(meta.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const chunks = js.filter(([, out]) => Object.keys(out.inputs).some((name) => name.includes(input)));
  assert.equal(chunks.length, 1, `${input} is in one lazy chunk`);
  assert.ok(!criticalJs(meta).includes(assetPath(chunks[0][0])), `${input} is not on the critical path`);
  return chunks[0];
}

test('all JS, except the lazily loaded QR reader and charts, is at most 100 KB gzip', () => {
  const meta = load();
  const js = Object.entries(meta.metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const lazy = [lazyChunk(meta, 'barcode-detector')[0], lazyChunk(meta, 'uplot')[0]];
  console.log(`the charts' chunk: ${(gzipped(assetPath(lazy[1])) / KB).toFixed(1)} KB gzip`);
  const total = js.filter(([file]) => !lazy.includes(file)).reduce((sum, [file]) => sum + gzipped(assetPath(file)), 0);
  console.log(`all JS but the QR reader and the charts: ${(total / KB).toFixed(1)} KB gzip`);
  assert.ok(total <= 100 * KB, `${total} bytes`);
});

test('the lazy chunks are precached, so the camera and the dashboard work offline', () => {
  const meta = load();
  const sw = readFileSync(new URL('sw.js', dist), 'utf8');
  for (const input of ['barcode-detector', 'uplot']) assert.ok(sw.includes(assetPath(lazyChunk(meta, input)[0])), input);
});

test('nothing in the build points at another origin at run time', () => {
  const meta = load();
  const sw = readFileSync(new URL('sw.js', dist), 'utf8');
  assert.ok(!/https?:\/\/(?!www\.w3\.org)/.test(readFileSync(new URL('index.html', dist), 'utf8')));
  assert.ok(sw.includes(meta.wasm), 'the QR reader .wasm is precached from our origin');
});
