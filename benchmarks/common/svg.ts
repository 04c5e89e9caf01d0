/**
 * A small dependency-free line-plot writer: one SVG string with axes, ticks,
 * a legend and one polyline per series. Used by the benchmarks to draw curves
 * a person can look at.
 */

export interface LinePlotSeries {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

export interface LinePlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ReadonlyArray<LinePlotSeries>;
  /** Logarithmic x axis (points with x <= 0 are dropped). @default false */
  logX?: boolean;
  /** @default 560 + room for the legend */
  width?: number;
  /** @default 460 */
  height?: number;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** "Nice" tick values covering [lo, hi] (1-2-5 steps). */
function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(4)}`;
}

/** Renders the series as an SVG line plot. */
export function linePlot(options: LinePlotOptions): string {
  const longest = Math.max(0, ...options.series.map((s) => s.name.length));
  const legendWidth = Math.max(120, 60 + longest * 6.6);
  const width = options.width ?? 560 + legendWidth;
  const height = options.height ?? 460;
  const margin = { left: 72, right: legendWidth, top: 44, bottom: 56 };
  const logX = options.logX ?? false;
  const tx = (x: number): number => (logX ? Math.log10(x) : x);
  const series = options.series.map((s) => ({ name: s.name, points: s.points.filter(([x, y]) => Number.isFinite(y) && Number.isFinite(x) && (!logX || x > 0)) }));
  const all = series.flatMap((s) => s.points);
  let [x0, x1] = all.length ? [Math.min(...all.map((p) => tx(p[0]))), Math.max(...all.map((p) => tx(p[0])))] : [0, 1];
  let [y0, y1] = all.length ? [Math.min(0, ...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))] : [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  y1 += (y1 - y0) * 0.04;
  const pw = width - margin.left - margin.right;
  const ph = height - margin.top - margin.bottom;
  const sx = (x: number): number => margin.left + ((tx(x) - x0) / (x1 - x0)) * pw;
  const sy = (y: number): number => margin.top + ph - ((y - y0) / (y1 - y0)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${margin.left + pw / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`);
  // grid and ticks
  const yTicks = niceTicks(y0, y1);
  for (const v of yTicks) {
    const y = sy(v).toFixed(1);
    out.push(`<line x1="${margin.left}" x2="${margin.left + pw}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(v)}</text>`);
  }
  const xTicks = logX
    ? niceTicks(Math.floor(x0), Math.ceil(x1), Math.max(1, Math.ceil(x1) - Math.floor(x0))).filter((e) => e >= x0 - 1e-9 && e <= x1 + 1e-9 && Number.isInteger(e)).map((e) => Math.pow(10, e))
    : niceTicks(x0, x1);
  for (const v of xTicks) {
    const x = sx(v).toFixed(1);
    out.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + ph}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${margin.top + ph + 18}" text-anchor="middle">${formatTick(v)}</text>`);
  }
  out.push(`<rect x="${margin.left}" y="${margin.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${margin.left + pw / 2}" y="${height - 14}" text-anchor="middle">${escapeXml(options.xLabel)}${logX ? ' (log scale)' : ''}</text>`);
  out.push(`<text transform="translate(18 ${margin.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  // series and legend
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    const ly = margin.top + 10 + i * 20;
    const lx = margin.left + pw + 14;
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
