// The one way to call the server: JSON in and out, the CSRF header, problem+json → ApiError;
// uploads with progress through XMLHttpRequest (fetch reports none), with the same headers and errors.
import { getLocale, t } from './i18n/index.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token;
}

/** An error answer from the server (status, problem type, detail, per-field errors). */
export class ApiError extends Error {
  constructor(status, problem = {}, headers = null) {
    // A 5xx (or a proxy's page with no problem detail) is said in our words, never `HTTP 502`.
    super(status >= 500 ? t('problem.server') : problem.detail || problem.title || t('problem.refused', { status }));
    this.status = status;
    this.type = problem.type || '';
    this.errors = problem.errors || null;
    this.retryAfter = Number(headers?.get('Retry-After')) || null;
  }

  get isCsrf() {
    return this.status === 403 && this.type.endsWith(':csrf');
  }
}

/** The request never got an answer (offline, reset, timeout): always worth retrying. */
export class NetworkError extends Error {}

/** The body of an answer: JSON, else {} (a proxy's HTML page never reaches the screen). */
function parse(status, type, text) {
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return {};
    }
  }
  // nginx answers an oversized upload with its own HTML 413 page.
  return status === 413 ? { detail: t('net.too_large') } : {};
}

function headersFor(method, headers) {
  const all = { 'Accept-Language': getLocale(), ...headers };
  if (UNSAFE.has(method) && csrfToken) all['X-CSRF-Token'] = csrfToken;
  return all;
}

export async function request(method, path, { json, form, headers = {}, signal } = {}) {
  const init = { method, credentials: 'same-origin', signal, headers: headersFor(method, headers) };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    // The browser's own words ("Failed to fetch") never reach the screen: ours do.
    throw new NetworkError(t('net.unreachable'));
  }
  // 304: the caller sent If-None-Match (the offline pack) and what it has is still current.
  const body = response.status === 204 || response.status === 304 ? null : parse(response.status, response.headers.get('Content-Type') || '', await response.text());
  if (!response.ok && response.status !== 304) throw new ApiError(response.status, body, response.headers);
  return { status: response.status, body, headers: response.headers, cached: response.headers.get('X-SZ-Cached') === '1' };
}

/** POST a form with `onProgress(fraction)` as its bytes go out; answers like request(). */
export function upload(path, form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}`);
    for (const [name, value] of Object.entries(headersFor('POST', {}))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    // The browser's own words never reach the screen: ours do.
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => reject(new NetworkError(t('net.unreachable')));
    xhr.onload = () => {
      const headers = { get: (name) => xhr.getResponseHeader(name) };
      const body = parse(xhr.status, headers.get('Content-Type') || '', xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) reject(new ApiError(xhr.status, body, headers));
      else resolve({ status: xhr.status, body, headers });
    };
    xhr.send(form);
  });
}

export const get = (path, options) => request('GET', path, options).then((r) => r.body);
export const post = (path, json, options = {}) => request('POST', path, { ...options, json }).then((r) => r.body);
export const patch = (path, json) => request('PATCH', path, { json }).then((r) => r.body);

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const item of [].concat(value)) if (item !== undefined && item !== null && item !== '') search.append(key, item);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
