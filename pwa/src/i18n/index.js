// Message catalogs: zh-CN by default, English switchable; every user-facing string comes from here.
import zh from './zh-CN.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export const CATALOGS = { 'zh-CN': zh, en };
const STORAGE_KEY = 'sz.locale';
let locale = 'zh-CN';
const listeners = new Set();

export function initLocale(storage = globalThis.localStorage) {
  const saved = storage?.getItem(STORAGE_KEY);
  locale = CATALOGS[saved] ? saved : 'zh-CN';
  applyToDocument();
  return locale;
}

export function getLocale() {
  return locale;
}

export function setLocale(next, storage = globalThis.localStorage) {
  if (!CATALOGS[next]) return;
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
