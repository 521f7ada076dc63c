// Build the PWA into dist/: content-hashed bundles, the HTML shell, the service worker with its
// precache list, the manifest, and the ZXing .wasm served from our own origin.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const assets = join(dist, 'assets');
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));

const hash = (data) => createHash('sha256').update(data).digest('hex').slice(0, 10);

function copyHashed(source, stem, extension) {
  const data = readFileSync(source);
  const name = `${stem}-${hash(data)}.${extension}`;
  writeFileSync(join(assets, name), data);
  return `/assets/${name}`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const wasm = copyHashed(join(here, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'), 'zxing_reader', 'wasm');
const version = `${pkg.version}+${hash(readFileSync(join(here, 'package-lock.json')) + Date.now().toString(36))}`;

const result = await esbuild.build({
  entryPoints: { app: join(here, 'src/main.js'), styles: join(here, 'src/styles.css') },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: 'es2020', // WeChat's and older Android web views; iOS Safari 14+
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  metafile: true,
  define: { __ZXING_WASM_URL__: JSON.stringify(wasm), __APP_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
});

const outputs = Object.entries(result.metafile.outputs);
const url = (file) => `/${file.slice(file.indexOf('assets/'))}`;
const entry = (name) => url(outputs.find(([file, out]) => out.entryPoint?.endsWith(name))[0]);
const appJs = entry('src/main.js');
const appCss = outputs.find(([file]) => file.endsWith('.css'))[0];

// PNG icons are drawn by icons.py (Pillow) after this build; the manifest lists them here.
const icons = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
];
writeFileSync(
  join(dist, 'manifest.webmanifest'),
  JSON.stringify({
    name: '安全责任区 Safety Zones',
    short_name: '安全责任区',
    lang: 'zh-CN',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#ffffff',
    theme_color: '#b3121f',
    icons,
  }),
);

const html = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('%APP_JS%', appJs)
  .replace('%APP_CSS%', url(appCss));
writeFileSync(join(dist, 'index.html'), html);

// Precache: the shell and everything it needs at once; lazy chunks (scanner, EXIF) too, so the
// camera works offline. The .wasm is precached as well (DESIGN §9 PWA).
const precache = ['/', ...outputs.map(([file]) => url(file)), wasm, ...icons.map((icon) => icon.src), '/icons/icon-180.png', '/manifest.webmanifest'];
await esbuild.build({
  entryPoints: [join(here, 'src/sw.js')],
  bundle: true,
  minify: true,
  outfile: join(dist, 'sw.js'),
  define: { __PRECACHE__: JSON.stringify(precache), __VERSION__: JSON.stringify(hash(JSON.stringify(precache))) },
});
writeFileSync(join(dist, 'meta.json'), JSON.stringify({ version, app: appJs, css: url(appCss), wasm, metafile: result.metafile }));

// Precompressed once, at the strongest settings, beside each hashed asset: the server picks the
// .br or .gz the browser accepts (server/pages.py) instead of compressing on every request.
for (const name of readdirSync(assets)) {
  const data = readFileSync(join(assets, name));
  writeFileSync(join(assets, `${name}.gz`), gzipSync(data, { level: 9 }));
  writeFileSync(join(assets, `${name}.br`), brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
console.log(`built ${outputs.length} files into dist/ (${version})`);
