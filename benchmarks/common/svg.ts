/**
 * A small dependency-free line-plot writer: one SVG string with axes, ticks,
 * a legend, one polyline per series and, where a series has them, error bars.
 * Used by the benchmarks to draw curves a person can read:
 *
 * - every series its own colour (20 before one repeats; from the 11th on the
 *   lines are also dashed, so even a repeated colour is told apart);
 * - the legend lists series by their last value, top to bottom, so it reads
 *   in the order the lines end;
 * - 1-2-5 ticks on linear axes, and 1-2-5 ticks per decade on log axes (or
 *   the ticks the caller names, such as the half-lives that were measured).
 */

export interface LinePlotSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Half-width of an error bar at each point (same order as `points`), e.g. one standard error over seeds. */
  errors?: ReadonlyArray<number>;
  /** A dot at every point. @default true when the series has at most 12 points */
  markers?: boolean;
}

export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ReadonlyArray<LinePlotSeries>;
  /** Logarithmic x axis (points with x <= 0 are dropped). @default false */
  logX?: boolean;
  /** Logarithmic y axis (points with y <= 0 are dropped). @default false */
  logY?: boolean;
  /** Tick values for the x axis instead of the automatic ones. */
  xTicks?: ReadonlyArray<number>;
  /** One line under the plot: what the error bars are, where the data came from. */
  note?: string;
  /** @default 600 + room for the legend */
  width?: number;
  /** @default 460 */
  height?: number;
}

/** Okabe–Ito (colour-blind safe) first, then Paul Tol's muted and light schemes: 20 distinct colours. */
export const COLORS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
  '#117733',
  '#332288',
  '#DDCC77',
  '#661100',
  '#6699CC',
  '#AA4466',
  '#88CCEE',
  '#888888',
  '#F0E442',
] as const;

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** "Nice" tick values covering [lo, hi] (1-2-5 steps), about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 8): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

/** Ticks of a log axis over [lo, hi] (values, not logs): 1, 2, 5 × 10^k, or only the decades when there are many. */
export function logTicks(lo: number, hi: number): number[] {
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const steps = last - first <= 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = first; e <= last; e++) for (const m of steps) ticks.push(m * Math.pow(10, e));
  return ticks.filter((v) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9));
}

export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(4)}`;
}

/** Renders the series as an SVG line plot. */
export function linePlot(options: LinePlotOptions): string {
  const longest = Math.max(0, ...options.series.map((s) => s.name.length));
  const legendWidth = Math.max(130, 64 + longest * 6.6);
  const width = options.width ?? 600 + legendWidth;
  const height = options.height ?? 460;
  const margin = { left: 76, right: legendWidth, top: 44, bottom: options.note === undefined ? 56 : 76 };
  const logX = options.logX ?? false;
  const logY = options.logY ?? false;
  const tx = (x: number): number => (logX ? Math.log10(x) : x);
  const ty = (y: number): number => (logY ? Math.log10(y) : y);
  const series = options.series.map((s, index) => {
    const kept = s.points
      .map((p, i) => ({ x: p[0], y: p[1], e: s.errors?.[i] ?? 0 }))
      .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logX || p.x > 0) && (!logY || p.y > 0));
    return {
      name: s.name,
      points: kept,
      color: COLORS[index % COLORS.length] as string,
      dashed: index >= 10,
      markers: s.markers ?? kept.length <= 12,
    };
  });
  const all = series.flatMap((s) => s.points);
  const x0 = all.length ? Math.min(...all.map((p) => tx(p.x))) : 0;
  let x1 = all.length ? Math.max(...all.map((p) => tx(p.x))) : 1;
  // a log axis cannot show a bar reaching 0 or below: such a bar is drawn to the axis
  const lows = all.map((p) => (logY && p.y - p.e <= 0 ? p.y : p.y - p.e));
  let y0 = all.length ? (logY ? Math.log10(Math.min(...lows)) : Math.min(0, ...lows)) : 0;
  let y1 = all.length ? ty(Math.max(...all.map((p) => p.y + p.e))) : 1;
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  y1 += (y1 - y0) * 0.04;
  if (logY || y0 < 0) y0 -= (y1 - y0) * 0.03;
  const pw = width - margin.left - margin.right;
  const ph = height - margin.top - margin.bottom;
  const sx = (x: number): number => margin.left + ((tx(x) - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => margin.top + ph - ((ty(y) - y0) / (y1 - y0)) * ph;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(
    `<text x="${margin.left + pw / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  const yTicks = logY ? logTicks(Math.pow(10, y0), Math.pow(10, y1)) : niceTicks(y0, y1);
  for (const v of yTicks) {
    const y = sy(v).toFixed(1);
    out.push(`<line x1="${margin.left}" x2="${margin.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(v)}</text>`,
    );
  }
  const xTicks = (options.xTicks ?? (logX ? logTicks(Math.pow(10, x0), Math.pow(10, x1)) : niceTicks(x0, x1))).filter(
    (v) => (!logX || v > 0) && tx(v) >= x0 - 1e-9 && tx(v) <= x1 + 1e-9,
  );
  for (const v of xTicks) {
    const x = sx(v).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${margin.top + ph + 18}" text-anchor="middle">${formatTick(v)}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(
    `<text x="${margin.left + pw / 2}" y="${margin.top + ph + 40}" text-anchor="middle">${escapeXml(options.xLabel)}${logX ? ' (log scale)' : ''}</text>`,
  );
  out.push(
    `<text transform="translate(18 ${margin.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}${logY ? ' (log scale)' : ''}</text>`,
  );
  if (options.note !== undefined)
    out.push(`<text x="${margin.left}" y="${height - 12}" fill="#555">${escapeXml(options.note)}</text>`);
  series.forEach((s, i) => {
    const dash = s.dashed ? ' stroke-dasharray="7 4"' : '';
    const pts = s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts}"/>`);
    // few points: mark each measurement, so a line is not mistaken for data between them
    if (s.markers)
      for (const p of s.points)
        out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3.5" fill="${s.color}"/>`);
    // error bars, nudged sideways per series so that neighbours do not hide each other
    const nudge = (i - (series.length - 1) / 2) * 1.2;
    for (const p of s.points) {
      if (!(p.e > 0)) continue;
      const x = (sx(p.x) + nudge).toFixed(1);
      const low = logY && p.y - p.e <= 0 ? margin.top + ph : sy(p.y - p.e);
      const high = sy(p.y + p.e);
      out.push(
        `<path d="M${x},${low.toFixed(1)}V${high.toFixed(1)}M${(+x - 2.5).toFixed(1)},${low.toFixed(1)}h5M${(+x - 2.5).toFixed(1)},${high.toFixed(1)}h5" stroke="${s.color}" stroke-width="1" opacity="0.75"/>`,
      );
    }
  });
  // legend in the order the lines end, top to bottom
  const order = series
    .map((s, i) => ({ s, i, last: s.points.at(-1)?.y ?? -Infinity }))
    .sort((a, b) => b.last - a.last || a.i - b.i);
  order.forEach(({ s }, row) => {
    const ly = margin.top + 10 + row * 20;
    const lx = margin.left + pw + 14;
    out.push(
      `<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="3"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`,
    );
    out.push(`<text x="${lx + 32}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
