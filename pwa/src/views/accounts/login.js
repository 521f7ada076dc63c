// Sign in with staff ID and password; the username is remembered, the password never. A sign-in
// reached from a deep link stays on it; one from a public page (`?next=`) goes back to it.
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api.js';
import { t } from '../../i18n/index.js';
import { returnPath } from '../../routes.js';
import { useStore } from '../../store.js';
import { signedIn } from '../../sync.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

const USERNAME_KEY = 'sz.username';

export function Login({ next }) {
  const online = useStore((s) => s.online);
  const expired = useStore((s) => s.needsSignIn);
  const [username, setUsername] = useState(localStorage.getItem(USERNAME_KEY) || '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

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

  return html`<div class="login">
    <div class="login-brand"><span class="logo big">安</span><h1>${t('app.name')}</h1></div>
    ${expired && html`<${Note} tone="warn">${t('login.expired')}<//>`}
    ${!online && html`<${Note} tone="warn">${t('login.offline')}<//>`}
    <form onSubmit=${submit} class="form">
      <${Field} label=${t('login.username')}>
        <input name="username" autocomplete="username" autocapitalize="none" required value=${username}
          onInput=${(e) => setUsername(e.target.value)} />
      <//>
      <${Field} label=${t('login.password')}>
        <input name="password" type="password" autocomplete="current-password" required value=${password}
          onInput=${(e) => setPassword(e.target.value)} />
      <//>
      ${error && html`<${Note} tone="error">${error}<//>`}
      <button class="button primary block" disabled=${busy || !online}>${t('login.submit')}</button>
    </form>
  </div>`;
}
