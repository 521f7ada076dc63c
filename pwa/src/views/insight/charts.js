// The dashboard's charts, drawn by uPlot into a canvas. Loaded lazily (dashboard.js imports it
// with import()), so esbuild puts it and uPlot in a chunk of their own, outside the app's JS
// budget (DESIGN §8) and precached like the QR reader. uPlot because it is small and draws what
// the dashboard needs (bars and lines with axes, on a canvas): this chunk is 24 KB gzip, where
// Chart.js even cut down to bars and lines, and ECharts, are several times larger by their
// published sizes. It styles its elements through the CSSOM (el.style), which the strict CSP
// allows; its stylesheet is bundled into ours (styles.css).
import uPlot from 'uplot';
import { t } from '../../i18n/index.js';
import { percent, weekLabel } from './figures.js';

// High contrast for glare, and never colour alone: bars against a dashed line, solid against
// dashed, each named in the legend above the chart.
const INK = '#111';
const GRID = '#c9c9c9';
const RED = '#b3121f';
const BLUE = '#0b4f9c';
const FONT = '14px "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';
const DASH = [8, 5];
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

const axis = (more) => ({ stroke: INK, font: FONT, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1, size: 4 }, ...more });

/** Week indexes to label on the x axis: about one per 56 px, the last week always among them. */
function weekSplits(count, width) {
  const step = Math.max(1, Math.ceil(count / Math.max(1, Math.floor(width / 56))));
  const splits = [];
  for (let i = (count - 1) % step; i < count; i += step) splits.push(i);
  return splits;
}

function weekAxis(weeks) {
  return axis({
    splits: (u) => weekSplits(weeks.length, u.width - 52),
    values: (u, splits) => splits.map((i) => weekLabel(weeks[i].week, 'axis')),
  });
}

/** A point on each week while there is room for it (a half-year's weeks), else the line alone. */
const marked = (weeks) => weeks.length <= 26;

const indexScale = (count) => ({ time: false, range: () => [-0.5, count - 0.5] });
const countScale = { range: (u, min, max) => [0, Math.max(4, max * 1.1)] };
const countAxis = axis({ incrs: COUNT_STEPS, size: 44, values: (u, splits) => splits.map(String) });

function trend(weeks) {
  return {
    height: 220,
    scales: { x: indexScale(weeks.length), y: countScale },
    axes: [weekAxis(weeks), countAxis],
    series: [
      {},
      { label: t('dashboard.reported'), fill: RED, stroke: RED, width: 0, paths: uPlot.paths.bars({ size: [0.6, 40] }), points: { show: false } },
      { label: t('dashboard.closed'), stroke: BLUE, width: 3, dash: DASH, points: { show: marked(weeks), size: 7, fill: '#fff', stroke: BLUE, width: 2 } },
    ],
    data: [weeks.map((_, i) => i), weeks.map((w) => w.reported), weeks.map((w) => w.closed)],
  };
}

function rates(weeks) {
  const line = (label, colour, dash) => ({ label, stroke: colour, width: 3, dash, spanGaps: true, points: { show: marked(weeks), size: 8, fill: colour } });
  return {
    height: 220,
    scales: { x: indexScale(weeks.length), y: { range: [0, 1.05] } },
    axes: [weekAxis(weeks), axis({ size: 52, splits: () => [0, 0.25, 0.5, 0.75, 1], values: (u, splits) => splits.map(percent) })],
    series: [{}, line(t('dashboard.rectification_rate'), RED, undefined), line(t('dashboard.on_time_rate'), BLUE, DASH)],
    data: [weeks.map((_, i) => i), weeks.map((w) => w.rectification_rate), weeks.map((w) => w.on_time_rate)],
  };
}

/** Horizontal bars (the x scale turned upright), each count written at its bar's end. */
function categories(rows) {
  const writeCounts = (u) => {
    const { ctx } = u;
    ctx.save();
    ctx.font = FONT.replace('14px', `${Math.round(14 * uPlot.pxRatio)}px`);
    ctx.fillStyle = INK;
    ctx.textBaseline = 'middle';
    rows.forEach(([, count], i) => ctx.fillText(String(count), u.valToPos(count, 'y', true) + 6 * uPlot.pxRatio, u.valToPos(i, 'x', true)));
    ctx.restore();
  };
  return {
    height: 40 + rows.length * 32,
    scales: { x: { ...indexScale(rows.length), ori: 1, dir: -1 }, y: { ori: 0, range: (u, min, max) => [0, Math.max(4, max * 1.2)] } },
    axes: [
      axis({ side: 3, size: 100, grid: { show: false }, splits: () => rows.map((_, i) => i), values: () => rows.map(([label]) => label) }),
      axis({ side: 2, incrs: COUNT_STEPS, values: (u, splits) => splits.map(String) }),
    ],
    series: [{}, { label: t('dashboard.reported'), fill: RED, stroke: RED, width: 0, paths: uPlot.paths.bars({ size: [0.6, 24] }), points: { show: false } }],
    data: [rows.map((_, i) => i), rows.map(([, count]) => count)],
    hooks: { draw: [writeCounts] },
  };
}

const KINDS = { trend, rates, categories };

/** Draws chart `kind` of `input` into `element` at its width, redrawn as that changes; the canvas
 * is an image described by `label`. Returns what removes it. */
export function drawChart(element, kind, input, label) {
  const { data, hooks = {}, ...options } = KINDS[kind](input);
  const drawn = () => {
    element.setAttribute('data-drawn', kind);
    element.setAttribute('data-count', data[0].length); // what a test waits for after a new period
  };
  const chart = new uPlot(
    {
      ...options,
      width: element.clientWidth,
      legend: { show: false },
      cursor: { show: false, drag: { x: false, y: false } },
      select: { show: false },
      hooks: { ...hooks, draw: [...(hooks.draw || []), drawn] },
    },
    data,
    element,
  );
  chart.ctx.canvas.setAttribute('role', 'img');
  chart.ctx.canvas.setAttribute('aria-label', label);
  const resized = new ResizeObserver(() => {
    if (element.clientWidth && element.clientWidth !== chart.width) chart.setSize({ width: element.clientWidth, height: options.height });
  });
  resized.observe(element);
  return () => {
    resized.disconnect();
    chart.destroy();
  };
}
