// What went wrong, in the user's words and with what to do: the one place a failure becomes text
// on the screen. The browser's own words ("Failed to fetch", "QuotaExceededError…") and a proxy's
// bare status never reach the screen; the server's problem detail (in the user's language) does.
import { NetworkError } from './api.js';
import { t } from './i18n/index.js';

/** IndexedDB refused to keep more (a photo or a report for the outbox): the phone is full. */
export function isStorageFull(error) {
  const names = [error?.name, error?.cause?.name, error?.inner?.name];
  return names.includes('QuotaExceededError') || error?.code === 22;
}

/** The text for any failure: storage full, no signal, the server's trouble, its reason, else ours. */
export function problemText(error) {
  if (isStorageFull(error)) return t('problem.storage_full');
  if (error instanceof NetworkError) return t('net.unreachable');
  const status = Number(error?.status) || 0;
  if (status >= 500) return t('problem.server');
  if (status) return error.message || t('problem.refused', { status });
  return t('problem.unexpected');
}
