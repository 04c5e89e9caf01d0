/**
 * The playground page: wires the world (world.ts) to the views. Every control
 * calls attune and re-renders at once: the list, the profile and the chart.
 */
import type { Signal } from 'attune';
import { renderChart } from './view/chart.js';
import { h } from './view/dom.js';
import { renderList } from './view/list.js';
import { renderProfile } from './view/profile.js';
import { HALF_LIFE_DAYS, PEOPLE, Playground } from './world.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const SIGNAL_NOTES: Record<string, string> = {
  up: 'liked: its tags and similar songs move up',
  down: 'turned down: never played to this person again',
  tired: 'resting for 30 days, nothing negative learned',
};

function start(): void {
  const world = new Playground();
  let person: string | undefined = PEOPLE[0]!.id;

  const nameOf = (id: string | undefined) => PEOPLE.find((p) => p.id === id)?.name ?? 'Guest';
  const titleOf = (id: string) => `“${world.item(id)?.title ?? id}”`;
  const say = (text: string) => ($('activity').textContent = text);

  function render(): { added: number; moved: number } {
    const now = new Date(world.now());
    $('clock').textContent = now.toLocaleString('en-GB', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'UTC',
    });
    for (const button of document.querySelectorAll<HTMLButtonElement>('#people button'))
      button.setAttribute('aria-pressed', String(button.dataset['person'] === (person ?? '')));
    $('list-heading').textContent =
      person === undefined ? 'A guest’s list (popular, not personal)' : `${nameOf(person)}’s list`;
    const moved = renderList($('list'), world, world.list(person), person, { feedback });
    renderProfile($('profile'), person === undefined ? undefined : world.profile(person), nameOf(person), {
      mute,
      unmute,
      undo,
      consent,
      optOut,
    });
    if (person === undefined) $('chart').replaceChildren();
    else renderChart($('chart'), world.history(person), world.marks(person));
    return moved;
  }

  function feedback(item: string, signal: Signal): void {
    if (person === undefined) return;
    const title = titleOf(item);
    world.feedback(person, item, signal);
    const { added, moved } = render();
    say(
      `${signal === 'up' ? '▲ Up' : signal === 'down' ? '▼ Down' : '☾ Tired'} on ${title}: ${SIGNAL_NOTES[signal]}. The list changed: ${added} new, ${moved} moved.`,
    );
  }
  function mute(tag: string): void {
    if (person === undefined) return;
    world.setMuted(person, [...world.profile(person).mutedTags, tag]);
    render();
    say(`Muted ${tag}: its items are gone from the list and never cited in a reason.`);
  }
  function unmute(tag: string): void {
    if (person === undefined) return;
    world.setMuted(
      person,
      world.profile(person).mutedTags.filter((t) => t !== tag),
    );
    render();
    say(`Unmuted ${tag}.`);
  }
  function undo(item: string): void {
    if (person === undefined) return;
    world.undo(person, item);
    render();
    say(`Undone: attune forgot every signal on ${titleOf(item)}.`);
  }
  function consent(category: string, given: boolean): void {
    if (person === undefined) return;
    world.setConsent(person, category, given);
    render();
    say(
      given
        ? `Consent given for ${category}: those tracks may be shown and learned from.`
        : `Consent withdrawn for ${category}: those tracks are hidden and unlearned.`,
    );
  }
  function optOut(off: boolean): void {
    if (person === undefined) return;
    world.setOptOut(person, off);
    render();
    say(
      off
        ? `${nameOf(person)} switched personalisation off: everything attune knew is erased; the list is what is popular.`
        : `${nameOf(person)} switched personalisation back on: attune starts afresh.`,
    );
  }
  function jump(days: number): void {
    world.jump(days);
    render();
    const kept = Math.round(100 * Playground.keptAfter(days));
    say(
      `The clock jumped ${days} days, to ${new Date(world.now()).toISOString().slice(0, 10)}: every piece of evidence now keeps ${kept}% of its weight (half-life ${HALF_LIFE_DAYS} days).`,
    );
  }

  $('people').replaceChildren(
    ...[...PEOPLE, { id: '', name: 'Guest', about: 'nobody signed in' }].map((p) =>
      h(
        'button',
        {
          'data-person': p.id,
          title: p.about,
          onclick: () => {
            person = p.id === '' ? undefined : p.id;
            render();
            say(`${p.name} is listening now (${p.about}). Each person has their own profile on this one tablet.`);
          },
        },
        h('strong', {}, p.name),
        h('small', {}, p.about),
      ),
    ),
  );
  $('jump-month').addEventListener('click', () => jump(30));
  $('jump-year').addEventListener('click', () => jump(365));
  render();
  say('Give a thumb to any song and watch the list, the reasons and the profile follow.');
  document.body.dataset['ready'] = 'true';
}

// Let the "preparing" note paint before the world (five months of Max, a crowd, one train()) is built.
requestAnimationFrame(() => setTimeout(start, 0));
