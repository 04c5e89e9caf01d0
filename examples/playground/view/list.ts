/**
 * The list: one card per recommendation with its reason, thumbs and an
 * expandable "why" that draws the evidence and the parts of the score as
 * bars. After every render the cards glide from their old places to their
 * new ones (FLIP), so a thumb visibly moves the list.
 */
import type { ExplainedRecommendation, Signal } from 'attune';
import type { Playground } from '../world.js';
import { genreColour, h, signed } from './dom.js';

export interface ListHandlers {
  feedback(item: string, signal: Signal): void;
}

const ACTIONS: readonly { signal: Signal; symbol: string; label: string; hint: string }[] = [
  { signal: 'up', symbol: '▲', label: 'Up', hint: 'More like this' },
  { signal: 'down', symbol: '▼', label: 'Down', hint: 'Never play this again' },
  { signal: 'tired', symbol: '☾', label: 'Tired', hint: 'Rest it for 30 days, no dislike learned' },
];

const PARTS = ['content', 'context', 'collaborative', 'popularity', 'exploration'] as const;
const PART_WORDS: Record<(typeof PARTS)[number], string> = {
  content: 'your taste in its tags',
  context: 'this time of day / week',
  collaborative: 'people like you',
  popularity: 'popular right now',
  exploration: 'exploring (random draw)',
};

/** Renders the list into `root`, animating from the previous render. Returns how many cards are new and how many moved. */
export function renderList(
  root: HTMLElement,
  world: Playground,
  list: readonly ExplainedRecommendation[],
  person: string | undefined,
  handlers: ListHandlers,
): { added: number; moved: number } {
  const before = new Map<string, { top: number; rank: number }>();
  root
    .querySelectorAll<HTMLElement>('li.card')
    .forEach((card, rank) => before.set(card.dataset['item']!, { top: card.getBoundingClientRect().top, rank }));
  const open = new Set<string>();
  root
    .querySelectorAll<HTMLDetailsElement>('li.card details[open]')
    .forEach((d) => open.add(d.closest<HTMLElement>('li.card')!.dataset['item']!));
  const samePerson = root.dataset['person'] === (person ?? '');
  root.dataset['person'] = person ?? '';

  let added = 0;
  let moved = 0;
  const cards = list.map((rec, rank) => {
    const previous = samePerson ? before.get(rec.item) : undefined;
    let move: HTMLElement | undefined;
    if (samePerson && previous === undefined) {
      added++;
      move = h('span', { class: 'move new', title: 'new in the list' }, 'new');
    } else if (previous !== undefined && previous.rank !== rank) {
      moved++;
      const up = previous.rank > rank;
      move = h(
        'span',
        { class: `move ${up ? 'up' : 'down'}`, title: `was #${previous.rank + 1}` },
        `${up ? '▲' : '▼'}${Math.abs(previous.rank - rank)}`,
      );
    }
    return card(world, rec, rank, move, person, handlers, open.has(rec.item));
  });
  root.replaceChildren(...cards);

  // FLIP: start each surviving card where it was, then let it glide to its new place.
  for (const el of cards) {
    const old = before.get(el.dataset['item']!);
    if (!samePerson) continue;
    if (old === undefined) {
      el.classList.add('arriving');
      continue;
    }
    const delta = old.top - el.getBoundingClientRect().top;
    if (Math.abs(delta) < 1) continue;
    el.style.transform = `translateY(${delta}px)`;
    el.style.transition = 'none';
    requestAnimationFrame(() => {
      el.style.transition = '';
      el.style.transform = '';
    });
  }
  return { added, moved };
}

function card(
  world: Playground,
  rec: ExplainedRecommendation,
  rank: number,
  move: HTMLElement | undefined,
  person: string | undefined,
  handlers: ListHandlers,
  open: boolean,
): HTMLLIElement {
  const item = world.item(rec.item);
  const tags = item?.tags ?? [];
  const value = (facet: string) => tags.find((t) => t.startsWith(`${facet}:`))?.slice(facet.length + 1);
  const genre = value('genre') ?? '?';
  const artist = value('artist')
    ?.replace(/-/g, ' ')
    .replace(/\b\w/g, (c) => c.toUpperCase());
  const meta = [value('mood'), artist, value('era')].filter(Boolean).join(' · ');
  const guest = person === undefined;
  return h(
    'li',
    {
      class: 'card',
      'data-item': rec.item,
      'data-tags': tags.join(' '),
      'data-kind': rec.reason.kind,
      'data-explored': String(rec.explored),
    },
    h('div', { class: 'rank' }, h('span', { class: 'number' }, `${rank + 1}`), move),
    h(
      'div',
      { class: 'body' },
      h(
        'div',
        { class: 'title' },
        item?.title ?? rec.item,
        item?.sensitive?.length
          ? h(
              'span',
              { class: 'badge sensitive', title: 'sensitive: shown only with consent' },
              item.sensitive.join(', '),
            )
          : null,
      ),
      h(
        'div',
        { class: 'meta' },
        h('span', { class: 'chip', style: `--genre: ${genreColour(genre)}` }, genre),
        ` ${meta}`,
      ),
      h(
        'p',
        { class: 'reason' },
        h('span', { class: `kind kind-${rec.reason.kind}` }, rec.reason.kind),
        ' ',
        h('span', { class: 'reason-text' }, rec.reason.text),
      ),
      why(rec, open),
    ),
    h(
      'div',
      { class: 'actions' },
      ...ACTIONS.map((a) =>
        h(
          'button',
          {
            class: `action ${a.signal}`,
            'data-action': a.signal,
            title: guest ? 'A guest teaches nothing: pick a person to give thumbs' : a.hint,
            'aria-label': `${a.label}: ${item?.title ?? rec.item}`,
            disabled: guest,
            onclick: () => handlers.feedback(rec.item, a.signal),
          },
          h('span', { class: 'symbol' }, a.symbol),
          ` ${a.label}`,
        ),
      ),
    ),
  );
}

/** The "why" drawer: evidence as bars in score points, then the parts of the score, then what the numbers mean. */
function why(rec: ExplainedRecommendation, open: boolean): HTMLDetailsElement {
  const evidence = rec.reason.evidence;
  const parts = PARTS.map((p) => ({ name: p, value: rec.contributions[p] }));
  const scale = Math.max(1e-9, ...evidence.map((e) => Math.abs(e.weight)), ...parts.map((p) => Math.abs(p.value)));
  const bar = (label: string, value: number, kind: string) =>
    h(
      'div',
      { class: `bar-row ${kind}` },
      h('span', { class: 'bar-label' }, label),
      h(
        'span',
        { class: 'bar-track' },
        h('span', {
          class: `bar ${value < 0 ? 'negative' : 'positive'}`,
          style: `width: ${((100 * Math.abs(value)) / scale).toFixed(1)}%`,
        }),
      ),
      h('span', { class: 'bar-value' }, signed(value)),
    );
  return h(
    'details',
    { class: 'why', open },
    h('summary', {}, 'Why?'),
    h('h4', {}, 'Evidence the reason cites'),
    evidence.length > 0
      ? h(
          'div',
          { class: 'bars evidence' },
          ...evidence.map((e) => bar(`${e.type}: ${e.label}`, e.weight, 'evidence-row')),
        )
      : h(
          'p',
          { class: 'note' },
          'No evidence is cited: ',
          rec.reason.kind === 'exploring'
            ? 'this pick comes from exploration.'
            : 'no part of the score is positive yet — a pick from the catalog.',
        ),
    h('h4', {}, 'Parts of the score'),
    h('div', { class: 'bars parts' }, ...parts.map((p) => bar(PART_WORDS[p.name], p.value, 'part-row'))),
    h(
      'p',
      { class: 'note numbers' },
      `Score ${rec.score.toFixed(2)} = the sum of the parts, in score points (log-odds of a like). `,
      `Shown in ${Math.round(100 * rec.propensity)}% of the policy's random draws (propensity ${rec.propensity.toFixed(2)})`,
      rec.explored ? '; here because of the draw, not its expected score.' : '.',
    ),
  );
}
