// The composition root: language, session, outbox sync, service worker, then the app.
import { render } from 'preact';
import { App } from './app.js';
import { initLocale } from './i18n/index.js';
import { onLinkClick } from './router.js';
import { registerServiceWorker } from './sw-bridge.js';
import { loadSession, startSync } from './sync.js';
import { html } from './ui/html.js';

async function start() {
  await initLocale();
  document.addEventListener('click', onLinkClick);
  await loadSession();
  render(html`<${App} />`, document.getElementById('app'));
  startSync();
  registerServiceWorker();
}

start();
