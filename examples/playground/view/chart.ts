/**
 * Taste over time: the weight of each genre in the person's profile at every
 * recorded moment, with detected life-stage changes (red) and clock jumps
 * (grey) marked on the time axis.
 */
import type { TastePoint, TimeMark } from '../world.js';
import { genreColour, h, s } from './dom.js';

const WIDTH = 420;
const HEIGHT = 200;
const M = { left: 36, right: 8, top: 10, bottom: 34 };

/** Dates on a long axis; times of day on an axis shorter than two days. */
const tickLabel = (at: number, span: number) =>
  new Date(at).toISOString().slice(span < 2 * 86_400_000 ? 11 : 0, span < 2 * 86_400_000 ? 16 : 10);

export function renderChart(root: HTMLElement, points: readonly TastePoint[], marks: readonly TimeMark[]): void {
  const genres = [...new Set(points.flatMap((p) => Object.keys(p.genres)))]
    .map((g) => ({ g, peak: Math.max(...points.map((p) => Math.abs(p.genres[g] ?? 0))) }))
    .sort((a, b) => b.peak - a.peak)
    .slice(0, 5)
    .map((x) => x.g);
  if (points.length < 2 || genres.length === 0) {
    root.replaceChildren(
      h('h3', {}, 'Taste over time'),
      h('p', { class: 'note' }, 'Give a few thumbs (or jump the clock) to see how the weight of each genre moves.'),
    );
    return;
  }
  const x0 = points[0]!.at;
  const x1 = Math.max(points.at(-1)!.at, x0 + 1);
  const values = points.flatMap((p) => genres.map((g) => p.genres[g] ?? 0));
  const y0 = Math.min(0, ...values);
  const y1 = Math.max(0.1, ...values);
  const pw = WIDTH - M.left - M.right;
  const ph = HEIGHT - M.top - M.bottom;
  const sx = (at: number) => M.left + ((at - x0) / (x1 - x0)) * pw;
  const sy = (v: number) => M.top + ph - ((v - y0) / (y1 - y0)) * ph;
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-label': 'Weight of each genre in the profile over time',
  });
  // y ticks: 0 and the extremes
  for (const v of [...new Set([y0, 0, y1])]) {
    svg.append(
      s('line', { x1: M.left, x2: WIDTH - M.right, y1: sy(v), y2: sy(v), class: v === 0 ? 'axis zero' : 'grid' }),
    );
    svg.append(s('text', { x: M.left - 4, y: sy(v) + 3, 'text-anchor': 'end', class: 'tick' }, v.toFixed(1)));
  }
  // x ticks: first and last date, and the middle
  for (const at of [x0, (x0 + x1) / 2, x1])
    svg.append(
      s(
        'text',
        {
          x: sx(at),
          y: HEIGHT - M.bottom + 13,
          'text-anchor': at === x0 ? 'start' : at === x1 ? 'end' : 'middle',
          class: 'tick',
        },
        tickLabel(at, x1 - x0),
      ),
    );
  for (const mark of marks) {
    if (mark.at < x0 || mark.at > x1) continue;
    const x = sx(mark.at);
    svg.append(s('line', { x1: x, x2: x, y1: M.top, y2: M.top + ph, class: `mark ${mark.kind}` }));
    // labels near the right edge go on the left of their line, so they are not cut off
    const left = x > M.left + pw * 0.75;
    svg.append(
      s(
        'text',
        {
          x: left ? x - 3 : x + 3,
          y: M.top + 9,
          'text-anchor': left ? 'end' : 'start',
          class: `mark-label ${mark.kind}`,
        },
        mark.label,
      ),
    );
  }
  for (const g of genres) {
    const d = points
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.at).toFixed(1)},${sy(p.genres[g] ?? 0).toFixed(1)}`)
      .join(' ');
    svg.append(s('path', { d, fill: 'none', stroke: genreColour(g), 'stroke-width': 2, 'data-genre': g }));
  }
  const legend = h(
    'div',
    { class: 'legend' },
    ...genres.map((g) => h('span', { class: 'chip', style: `--genre: ${genreColour(g)}` }, g)),
  );
  const hasChange = marks.some((m) => m.kind === 'change');
  root.replaceChildren(
    h('h3', {}, 'Taste over time'),
    svg,
    legend,
    h(
      'p',
      { class: 'note' },
      'Weight of each genre among the profile’s top tags, in log-odds points (0 when it is not among them). ',
      hasChange ? 'Red: a life-stage change attune detected; older evidence counts for less after it. ' : '',
      'Grey: a jump of the clock; every weight fades by its half-life.',
    ),
  );
}
