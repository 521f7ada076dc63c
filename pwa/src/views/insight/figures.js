// How the dashboard writes its figures, on screen and in the charts (charts.js) alike.
import { getLocale } from '../../i18n/index.js';

export const percent = (value) => (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);

const FORMATS = {
  axis: { month: 'numeric', day: 'numeric' }, // 11/23
  table: { month: 'long', day: 'numeric' }, // 11月23日
  year: { year: 'numeric', month: 'long', day: 'numeric' }, // 2025年12月1日
};

/** A week's Monday ("2026-11-23", site time) for the axis or the table, in the app's language;
 * the table names the year of a week of another year. */
export function weekLabel(week, how) {
  const [year, month, day] = week.split('-').map(Number);
  const format = how === 'table' && year !== new Date().getFullYear() ? 'year' : how;
  return new Intl.DateTimeFormat(getLocale(), FORMATS[format]).format(new Date(year, month - 1, day));
}
