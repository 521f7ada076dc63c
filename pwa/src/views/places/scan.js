// Scan a QR sign with the camera (native BarcodeDetector, else the self-hosted ZXing ponyfill,
// loaded only here), or type the code printed under it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get } from '../../api.js';
import { t } from '../../i18n/index.js';
import { navigate } from '../../router.js';
import { html } from '../../ui/html.js';
import { Field, Note } from '../../ui/kit.js';

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
        setError(caught.message || caught.name);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, []);
  if (error) return html`<${Note} tone="warn">${t('scan.camera_denied', { message: error })}<//>`;
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

export function Scan() {
  const [code, setCode] = useState('');
  const [error, setError] = useState(null);
  async function found(text) {
    const sign = tokenFromUrl(text);
    if (!sign) return setError(t('scan.not_ours'));
    try {
      await open(`/scan/${encodeURIComponent(sign.token)}`, sign.token);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404 ? t('scan.unknown') : caught.message);
    }
  }
  async function typed(event) {
    event.preventDefault();
    try {
      await open(`/scan/code/${encodeURIComponent(code.trim())}`);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 404 ? t('scan.unknown') : caught.message);
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

/** Deep links opened by the phone's own camera: /z/<token>, /p/<token>, /d/<token>. */
export function ByToken({ token }) {
  const [error, setError] = useState(null);
  useEffect(() => {
    open(`/scan/${encodeURIComponent(token)}`, token).catch((caught) =>
      setError(caught instanceof ApiError && caught.status === 404 ? t('scan.unknown') : caught.message),
    );
  }, [token]);
  return error ? html`<${Note} tone="error">${error}<//>` : html`<p class="muted center">${t('common.loading')}</p>`;
}
