// Message catalogs: zh-CN by default, English switchable; every user-facing string comes from here.
// Only the default catalog is in the shell everyone waits for: English is a chunk of its own
// (precached like the rest), loaded at start for those who chose it and when someone switches.
import zh from './zh-CN.json' with { type: 'json' };

export const LOCALES = ['zh-CN', 'en'];
const LOADERS = { en: () => import('./en.json', { with: { type: 'json' } }) };
export const CATALOGS = { 'zh-CN': zh };
const STORAGE_KEY = 'sz.locale';
let locale = 'zh-CN';
const listeners = new Set();

/** Load a locale's catalog if it is not in yet; false if it could not be fetched. */
export async function loadCatalog(name) {
  if (!CATALOGS[name]) {
    try {
      CATALOGS[name] = (await LOADERS[name]()).default;
    } catch {
      return false;
    }
  }
  return true;
}

/** The saved choice of language, its catalog loaded (zh-CN if it cannot be). */
export async function initLocale(storage = globalThis.localStorage) {
  const saved = storage?.getItem(STORAGE_KEY);
  locale = LOCALES.includes(saved) && (await loadCatalog(saved)) ? saved : 'zh-CN';
  applyToDocument();
  return locale;
}

export function getLocale() {
  return locale;
}

export async function setLocale(next, storage = globalThis.localStorage) {
  if (!LOCALES.includes(next) || !(await loadCatalog(next))) return;
  locale = next;
  storage?.setItem(STORAGE_KEY, next);
  applyToDocument();
  listeners.forEach((listener) => listener(next));
}

export function onLocaleChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function applyToDocument() {
  if (globalThis.document) document.documentElement.lang = locale;
}

/** The text for a key with {name} parameters filled in; the key itself if no catalog has it. */
export function t(key, params = {}) {
  const text = CATALOGS[locale][key] ?? CATALOGS['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}
