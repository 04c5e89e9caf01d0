/**
 * The profile panel: what attune knows about the person, in words, with the
 * controls that change it at once — mute a tag, undo a thumb, consent to a
 * sensitive category, switch personalisation off.
 */
import type { Profile, TagAffinity } from 'attune';
import { genreColour, h, signed } from './dom.js';

export interface ProfileHandlers {
  mute(tag: string): void;
  unmute(tag: string): void;
  undo(item: string): void;
  consent(category: string, given: boolean): void;
  optOut(optOut: boolean): void;
}

const SIGNAL_WORDS: Record<string, string> = {
  up: '▲ up',
  down: '▼ down',
  tired: '☾ tired',
  play: 'played',
  skip: 'skipped',
  purchase: 'bought',
};

export function renderProfile(
  root: HTMLElement,
  profile: Profile | undefined,
  name: string,
  handlers: ProfileHandlers,
): void {
  if (profile === undefined) {
    root.replaceChildren(
      h('h2', {}, 'Guest'),
      h(
        'p',
        { class: 'profile-text' },
        'Nobody is signed in, so this list is what is popular. A guest teaches attune nothing: one device is not one person. Pick a person above to personalise.',
      ),
    );
    return;
  }
  const scale = Math.max(1e-9, ...[...profile.likedTags, ...profile.dislikedTags].map((t) => Math.abs(t.weight)));
  const tagRow = (t: TagAffinity) => {
    const genre = t.tag.startsWith('genre:') ? t.tag.slice(6) : undefined;
    return h(
      'li',
      { class: 'tag-row', 'data-tag': t.tag },
      h('span', { class: 'tag-label' }, t.label),
      h(
        'span',
        { class: 'bar-track' },
        h('span', {
          class: `bar ${t.weight < 0 ? 'negative' : 'positive'}`,
          style: `width: ${((100 * Math.abs(t.weight)) / scale).toFixed(1)}%${genre ? `; background: ${genreColour(genre)}` : ''}`,
        }),
      ),
      h('span', { class: 'bar-value', title: `confidence ${(100 * t.confidence).toFixed(0)}%` }, signed(t.weight)),
      h(
        'button',
        {
          class: 'mini mute',
          'data-mute': t.tag,
          title: `Never show or cite ${t.label}`,
          onclick: () => handlers.mute(t.tag),
        },
        'mute',
      ),
    );
  };
  const thumbs = profile.thumbs
    .filter((t) => t.signal === 'up' || t.signal === 'down' || t.signal === 'tired')
    .slice(-8)
    .reverse();
  const consented = profile.consent['health'] === true;
  const children: (Node | null)[] = [
    h('h2', {}, `What attune knows about ${name}`),
    h('p', { class: 'profile-text' }, profile.text),
    h(
      'div',
      { class: 'controls' },
      h(
        'label',
        { class: 'switch' },
        h('input', {
          type: 'checkbox',
          id: 'opt-out',
          checked: profile.optOut,
          onchange: (e) => handlers.optOut((e.target as HTMLInputElement).checked),
        }),
        ' Switch personalisation off (nothing is learned or kept)',
      ),
      h(
        'label',
        { class: 'switch' },
        h('input', {
          type: 'checkbox',
          id: 'consent-health',
          checked: consented,
          disabled: profile.optOut,
          onchange: (e) => handlers.consent('health', (e.target as HTMLInputElement).checked),
        }),
        ' Allow health-related tracks (a sensitive category)',
      ),
    ),
    profile.likedTags.length > 0 ? h('h3', {}, 'Leans towards') : null,
    profile.likedTags.length > 0
      ? h('ul', { class: 'tags liked' }, ...profile.likedTags.slice(0, 6).map(tagRow))
      : null,
    profile.dislikedTags.length > 0 ? h('h3', {}, 'Leans away from') : null,
    profile.dislikedTags.length > 0
      ? h('ul', { class: 'tags disliked' }, ...profile.dislikedTags.slice(0, 4).map(tagRow))
      : null,
    profile.mutedTags.length > 0 ? h('h3', {}, 'Muted') : null,
    profile.mutedTags.length > 0
      ? h(
          'ul',
          { class: 'muted' },
          ...profile.mutedTags.map((tag) =>
            h(
              'li',
              { 'data-muted': tag },
              `${tag} `,
              h('button', { class: 'mini', 'data-unmute': tag, onclick: () => handlers.unmute(tag) }, 'unmute'),
            ),
          ),
        )
      : null,
    thumbs.length > 0 ? h('h3', {}, 'Your thumbs (latest first)') : null,
    thumbs.length > 0
      ? h(
          'ul',
          { class: 'thumbs' },
          ...thumbs.map((t) =>
            h(
              'li',
              { 'data-thumb': t.item },
              `${SIGNAL_WORDS[t.signal] ?? t.signal} ${t.title} `,
              h(
                'button',
                {
                  class: 'mini',
                  'data-undo': t.item,
                  title: 'attune forgets this signal',
                  onclick: () => handlers.undo(t.item),
                },
                'undo',
              ),
            ),
          ),
        )
      : null,
  ];
  root.replaceChildren(...children.filter((c): c is Node => c !== null));
}
