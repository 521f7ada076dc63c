// Sign in with staff ID and password, or through the company's identity platform where the
// server has single sign-on (GET /auth/methods); the username is remembered, the password never.
// A sign-in reached from a deep link stays on it; one from a public page (`?next=`) goes back to it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api.js';
import { t } from '../../i18n/index.js';
import { returnPath } from '../../routes.js';
import { useStore } from '../../store.js';
import { signedIn } from '../../sync.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

const USERNAME_KEY = 'sz.username';
const METHODS_KEY = 'sz.sign-in-methods'; // the last answer, so the screen does not change under a thumb
const PASSWORD_ONLY = { password: true, sso: false, sso_label: null, sso_start: null };
// An answer cached before the server named its start (OpenID Connect was then the only protocol).
const OIDC_START = '/api/v1/auth/sso/start';

function useSignInMethods() {
  const [methods, setMethods] = useState(() => {
    try {
      return JSON.parse(localStorage.getItem(METHODS_KEY)) || PASSWORD_ONLY;
    } catch {
      return PASSWORD_ONLY;
    }
  });
  useEffect(() => {
    get('/auth/methods').then((answer) => {
      localStorage.setItem(METHODS_KEY, JSON.stringify(answer));
      setMethods(answer);
    }, () => {}); // offline: the last answer stands
  }, []);
  return methods;
}

/** The server's start of single sign-on (OpenID Connect or CAS, from /auth/methods), and where
 * the identity platform sends the browser back to: `next`, else the deep link this screen stands
 * on (the server checks it again: only the app's own paths). */
function ssoStart(start, next) {
  const here = location.pathname === '/' ? null : location.pathname + location.search;
  const target = returnPath(next, location.origin) || returnPath(here, location.origin);
  return start + (target ? `?next=${encodeURIComponent(target)}` : '');
}

/** The server's ?sso_error=<code> in words; a code the catalog lacks (a hand-made link) reads as
 * the general failure. */
function ssoErrorText(code) {
  const key = `login.sso_error.${code}`;
  const text = t(key);
  return text === key ? t('login.sso_error.failed') : text;
}

function SsoButton({ methods, next, online }) {
  const label = methods.sso_label || t('login.sso');
  if (!online) return html`<button class="button primary block" disabled>${label}</button>`;
  return html`<a class="button primary block" href=${ssoStart(methods.sso_start || OIDC_START, next)} data-external>${label}</a>`;
}

export function Login({ next, ssoError }) {
  const online = useStore((s) => s.online);
  const expired = useStore((s) => s.needsSignIn);
  const [username, setUsername] = useState(localStorage.getItem(USERNAME_KEY) || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const methods = useSignInMethods();

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await post('/auth/login', { username: username.trim(), password });
      localStorage.setItem(USERNAME_KEY, username.trim());
      await signedIn(session, returnPath(next, location.origin));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 429) {
        // The server locks an account or address after repeated failures and says for how long.
        setError(t('login.too_many', { minutes: Math.ceil((caught.retryAfter || 60) / 60) }));
      } else {
        setError(t('login.failed', { message: problemText(caught) }));
      }
    } finally {
      setBusy(false);
    }
  }

  const form = html`<form onSubmit=${submit} class="form">
      <${Field} label=${t('login.username')}>
        <input name="username" autocomplete="username" autocapitalize="none" required value=${username}
          onInput=${(e) => setUsername(e.target.value)} />
      <//>
      <${Field} label=${t('login.password')}>
        <input name="password" type="password" autocomplete="current-password" required value=${password}
          onInput=${(e) => setPassword(e.target.value)} />
      <//>
      ${error && html`<${Note} tone="error">${error}<//>`}
      <button class=${methods.sso ? 'button block' : 'button primary block'} disabled=${busy || !online}>${t('login.submit')}</button>
    </form>`;
  return html`<div class="login">
    <div class="login-brand"><span class="logo big">安</span><h1>${t('app.name')}</h1></div>
    ${expired && html`<${Note} tone="warn">${t('login.expired')}<//>`}
    ${!online && html`<${Note} tone="warn">${t('login.offline')}<//>`}
    ${ssoError && html`<${Note} tone="error">${ssoErrorText(ssoError)}<//>`}
    ${methods.sso && html`<${SsoButton} methods=${methods} next=${next} online=${online} />`}
    ${!methods.password ? html`<details class="break-glass"><summary>${t('login.admin')}</summary>${form}</details>` : methods.sso ? html`<p class="login-or">${t('login.or')}</p>${form}` : form}
  </div>`;
}
