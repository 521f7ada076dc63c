// Scan a QR sign with the camera (native BarcodeDetector, else the self-hosted ZXing ponyfill,
// loaded only here), or type the code printed under it. With no signal, the sign or the code is
// looked up in the offline pack; a zone's sign that is not there still takes a report.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, NetworkError, get } from '../../api.js';
import { t } from '../../i18n/index.js';
import { placeByCode, signPath } from '../../pack.js';
import { navigate } from '../../router.js';
import { offlinePack } from '../../ui/data.js';
import { CheckIn } from '../party/party-days.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';
import { problemText } from '../../problems.js';

/** The sign's token from a scanned URL of this app (/z/, /p/ or /d/<token>), else null. */
export function tokenFromUrl(text, origin = location.origin) {
  try {
    const url = new URL(text);
    const found = url.pathname.match(/^\/([zpd])\/([A-Za-z0-9_-]{16,64})$/);
    return found && url.origin === origin ? { kind: found[1], token: found[2] } : null;
  } catch {
    return null;
  }
}

/** What went wrong with the camera, in the user's words and with what to do (never the browser's). */
function cameraProblem(error) {
  if (error?.name === 'NotAllowedError' || error?.name === 'SecurityError') return t('scan.camera_blocked');
  if (error?.name === 'NotFoundError' || error?.name === 'OverconstrainedError') return t('scan.camera_missing');
  return t('scan.camera_failed');
}

async function detector() {
  if ('BarcodeDetector' in globalThis) {
    const formats = await BarcodeDetector.getSupportedFormats?.();
    if (!formats || formats.includes('qr_code')) return new BarcodeDetector({ formats: ['qr_code'] });
  }
  const { createDetector } = await import('../../scanner.js');
  return createDetector();
}

function Camera({ onCode }) {
  const video = useRef();
  const [error, setError] = useState(null);
  useEffect(() => {
    let stream;
    let timer;
    let stopped = false;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
        if (stopped) return;
        video.current.srcObject = stream;
        await video.current.play();
        const reader = await detector();
        const tick = async () => {
          if (stopped) return;
          const codes = await reader.detect(video.current).catch(() => []);
          if (codes.length) onCode(codes[0].rawValue);
          else timer = setTimeout(tick, 250);
        };
        tick();
      } catch (caught) {
        setError(cameraProblem(caught));
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  if (error) return html`<${Note} tone="warn">${error}<//>`;
  return html`<div class="viewfinder">
    <video ref=${video} muted playsinline></video>
    <span class="frame" aria-hidden="true"></span>
    <p class="viewfinder-hint">${t('scan.camera_hint')}</p>
  </div>`;
}

const SCREEN_OF = { zone: 'zones', post: 'posts', party_day: 'party-days' };

async function open(lookup, token = null) {
  const place = await get(lookup);
  // A Party day is attended by scanning it: its token is the proof of presence for the check-in.
  const proof = place.kind === 'party_day' && token ? `?token=${encodeURIComponent(token)}` : '';
  navigate(`/${SCREEN_OF[place.kind]}/${place.id}${proof}`, { replace: true });
}

/** The words for an answer that is not a place: unknown sign or code, or the server's reason. */
function problem(caught) {
  return caught instanceof ApiError && caught.status === 404 ? t('scan.unknown') : problemText(caught);
}

export function Scan() {
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  async function found(text) {
    const sign = tokenFromUrl(text);
    if (!sign) return setError(t('scan.not_ours'));
    try {
      await open(`/scan/${encodeURIComponent(sign.token)}`, sign.token);
    } catch (caught) {
      // No signal: the deep link's screen looks the sign up in the offline pack.
      if (caught instanceof NetworkError) return navigate(`/${sign.kind}/${sign.token}`, { replace: true });
      setError(problem(caught));
    }
  }
  async function typed(event) {
    event.preventDefault();
    try {
      await open(`/scan/code/${encodeURIComponent(code.trim())}`);
    } catch (caught) {
      if (!(caught instanceof NetworkError)) return setError(problem(caught));
      const match = placeByCode(offlinePack(), code);
      if (!match) return setError(t('scan.code_not_offline'));
      navigate(`/${SCREEN_OF[match.kind]}/${match.place.id}`, { replace: true });
    }
  }
  return html`<${Camera} onCode=${found} />
    ${error && html`<${Note} tone="error">${error}<//>`}
    <form class="form inline" onSubmit=${typed}>
      <${Field} label=${t('scan.manual')}>
        <input value=${code} placeholder=${t('scan.code')} autocapitalize="characters" required
          onInput=${(e) => setCode(e.target.value)} />
      <//>
      <button class="button primary">${t('scan.open')}</button>
    </form>`;
}

/** A sign the phone cannot open with no signal: a zone's still takes a report (the server finds
 * the zone by the sign's token when it arrives); any other says to try again with signal. */
function OfflineSign({ kind, token, onRetry }) {
  return html`<div class="place">
      <h2>${t(kind === 'z' ? 'sign.offline_zone_title' : 'sign.offline_title')}</h2>
      <p class="text">${t(kind === 'z' ? 'sign.offline_zone' : 'sign.offline_other')}</p>
    </div>
    <div class="actions-row">
      ${kind === 'z' && html`<a class="button primary big" href=${`/z/${encodeURIComponent(token)}/report`}>${t('zone.report')}</a>`}
      <button class="button big" onClick=${onRetry}>${t('common.retry')}</button>
    </div>
    <p class="muted small">${t('sign.offline_home')} <a class="link" href="/">${t('nav.home')}</a></p>`;
}

/** A Party day's sign scanned with no signal: the pack does not hold Party-day tokens (they are
 * the proof of presence), so the check-in is queued with the token and the server finds the day,
 * or says why not, when it is sent. */
function OfflinePartySign({ token, onRetry }) {
  return html`<div class="place">
      <h2>${t('party.offline_title')}</h2>
      <p class="text">${t('party.offline_sign')}</p>
    </div>
    <${CheckIn} day=${{}} token=${token} reload=${() => {}} />
    <div class="actions-row"><button class="button big" onClick=${onRetry}>${t('common.retry')}</button></div>`;
}

/** Deep links opened by the phone's own camera: /z/<token>, /p/<token>, /d/<token>. */
export function ByToken({ token, kind }) {
  const [state, setState] = useState({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    setState({ status: 'loading' });
    open(`/scan/${encodeURIComponent(token)}`, token).catch((caught) => {
      if (!(caught instanceof NetworkError)) return setState({ status: 'error', message: problem(caught) });
      const path = signPath(offlinePack(), kind, token);
      if (path) return navigate(path, { replace: true });
      setState({ status: 'offline' });
    });
  }, [token, attempt]);
  if (state.status === 'offline' && kind === 'd') return html`<${OfflinePartySign} token=${token} onRetry=${() => setAttempt((n) => n + 1)} />`;
  if (state.status === 'offline') return html`<${OfflineSign} kind=${kind} token=${token} onRetry=${() => setAttempt((n) => n + 1)} />`;
  if (state.status === 'error') return html`<${Note} tone="error">${state.message}<//>`;
  return html`<p class="muted center">${t('common.loading')}</p>`;
}
