// Me: the offline pack, language, password, install, version and sign-out (which asks first when
// items are unsent).
import { useEffect, useState } from 'preact/hooks';
import { post } from '../../api.js';
import { getLocale, setLocale, t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { packCounts, packOf } from '../../pack.js';
import { getState, showToast, useStore } from '../../store.js';
import { refreshPack, signedIn, signedOut } from '../../sync.js';
import { html } from '../../ui/html.js';
import { Field, Note, Section, formatDateTime } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

/* global __APP_VERSION__ */
let installPrompt = null;
addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault();
  installPrompt = event;
});

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    try {
      const session = await post('/auth/password', { current_password: current, new_password: next });
      await signedIn(session);
      setCurrent('');
      setNext('');
      setError(null);
      showToast(t('settings.password_changed'), 'success');
    } catch (caught) {
      setError(Object.values(caught.errors || {}).flat().join(' ') || problemText(caught));
    }
  }
  return html`<form class="form" onSubmit=${submit}>
    <${Field} label=${t('settings.current_password')}><input type="password" autocomplete="current-password" required value=${current} onInput=${(e) => setCurrent(e.target.value)} /><//>
    <${Field} label=${t('settings.new_password')}><input type="password" autocomplete="new-password" minlength="8" required value=${next} onInput=${(e) => setNext(e.target.value)} /><//>
    ${error && html`<${Note} tone="error">${error}<//>`}
    <button class="button primary">${t('settings.change_password')}</button>
  </form>`;
}

/** What the phone keeps for no signal: when the server last confirmed it, what it holds, and a
 * button to ask now. */
function OfflinePack() {
  const { entry, userId, refreshing, failed, online } = useStore((s) => ({
    entry: s.pack, userId: s.user?.id, refreshing: s.packRefreshing, failed: s.packFailed, online: s.online,
  }));
  const pack = packOf(entry, userId);
  const n = packCounts(pack);
  return html`<${Section} title=${t('pack.title')}>
    <p class="small" data-pack-checked=${pack ? entry.checkedAt : null}>
      ${pack ? t('pack.checked', { time: formatDateTime(new Date(entry.checkedAt).toISOString()) }) : t('pack.none')}</p>
    ${pack && html`<p class="small muted">${t('pack.holds', { zones: n.zones, posts: n.posts, tasks: n.tasks })}</p>`}
    ${failed && !refreshing && html`<${Note} tone="warn">${t('pack.failed')}<//>`}
    ${!online && html`<p class="small muted">${t('pack.offline')}</p>`}
    <button class="button block" disabled=${!online || refreshing} onClick=${() => refreshPack('manual')}>
      ${refreshing ? t('pack.refreshing') : t('pack.refresh')}</button>
  <//>`;
}

export function Settings() {
  const user = useStore((s) => s.user);
  const ssoSession = useStore((s) => s.ssoSession);
  const [, rerender] = useState(0);
  const [canInstall, setCanInstall] = useState(Boolean(installPrompt));
  useEffect(() => setCanInstall(Boolean(installPrompt)), []);
  async function signOut() {
    const unsent = getState().outbox.filter((i) => i.state !== 'sent').length;
    // The outbox is never cleared by a sign-out; it waits for this user's next sign-in.
    if (unsent && !confirm(t('settings.sign_out_unsent', { n: unsent }))) return;
    const answer = await post('/auth/logout').catch(() => null);
    await signedOut();
    // Signed in through the identity platform: sign out there too; it comes back to /.
    if (answer?.end_session_url) location.assign(answer.end_session_url);
    else navigate('/', { replace: true });
  }
  async function language(locale) {
    await setLocale(locale); // English is loaded on first choice
    rerender((n) => n + 1);
  }
  return html`<p class="greeting">${user.name} · ${user.username} · ${t(`role.${user.role}`)} · ${user.unit?.name}</p>
    ${user.must_change_password && html`<${Note} tone="warn">${t('settings.must_change')}<//>`}
    <${OfflinePack} />
    <${Section} title=${t('settings.language')}>
      <div class="segmented">
        <button type="button" class=${getLocale() === 'zh-CN' ? 'selected' : ''} onClick=${() => language('zh-CN')}>中文</button>
        <button type="button" class=${getLocale() === 'en' ? 'selected' : ''} onClick=${() => language('en')}>English</button>
      </div>
    <//>
    ${(!ssoSession || user.must_change_password) && html`<${Section} title=${t('settings.change_password')}><${PasswordForm} /><//>`}
    ${canInstall && html`<button class="button block" onClick=${() => installPrompt.prompt()}>${t('settings.install')}</button>`}
    <button class="button block danger" onClick=${signOut}>${t('settings.sign_out')}</button>
    <p class="muted small center">${t('settings.version')} ${__APP_VERSION__}</p>`;
}
