/** A tiny element builder: enough DOM for the playground without a framework. */

type Child = Node | string | number | false | null | undefined;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** `h('button', { class: 'up', onclick: fn }, 'Like')`: attributes starting with `on` become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function s(tag: string, attributes: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** A signed number with a fixed count of decimals: `+0.42`, `−0.10`. */
export function signed(value: number, digits = 2): string {
  return `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(digits)}`;
}

/** One colour per genre, the same in chips, bars and the chart (the Okabe–Ito palette, readable with colour blindness, plus two). */
const GENRE_COLOURS: Record<string, string> = {
  jazz: '#0072B2',
  rock: '#D55E00',
  classical: '#CC79A7',
  'hip-hop': '#E69F00',
  electronic: '#009E73',
  folk: '#8c6d31',
  soul: '#56B4E9',
  country: '#7f7f7f',
  wellness: '#9467bd',
};

export function genreColour(genre: string): string {
  return GENRE_COLOURS[genre] ?? '#444444';
}
