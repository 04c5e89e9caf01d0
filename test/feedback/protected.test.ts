/**
 * Protected attributes through the public API: keys, boolean flags and values,
 * plural and compound forms, every look-alike letter, digits and camelCase —
 * and a list of ordinary keys that must pass (a word-level matcher knows that
 * the `age` in `ageRating` is not an age).
 */
import { describe, expect, it } from 'vitest';
import { AttuneError, createRecommender, type Recommender } from '../../src/index.js';
import type { Context } from '../../src/types.js';
import { otherSenses, personWords } from '../../src/feedback/protected.js';

const OTHER_SENSES = otherSenses();
const PERSON_WORDS = personWords();

let shared: Recommender | undefined;

/** The protected name a context is refused for, or undefined when it is accepted. */
function refusal(context: Context, recommender?: Recommender): string | undefined {
  recommender ??= shared ??= createRecommender({ items: [{ id: 'a', tags: ['genre:jazz'] }], seed: 1 });
  try {
    recommender.recommend('ann', { context });
    return undefined;
  } catch (error) {
    if (!(error instanceof AttuneError) || error.code !== 'PROTECTED_ATTRIBUTE') throw error;
    return /\(([^)]*)\)/.exec(error.message)?.[1] ?? error.message;
  }
}

describe('protected attributes: keys, flags and values', () => {
  // Each of these was accepted before (issue 26, item 17).
  it.each<[string, Context, string]>([
    ['a flag naming a group', { female: true }, 'female'],
    ['a flag naming a religion', { muslim: true }, 'muslim'],
    ['a compound flag', { 'segment=female': true }, 'female'],
    ['a group as the key', { women: 'yes' }, 'women'],
    ['a plural attribute', { genders: 'x' }, 'gender'],
    ['a plural attribute', { races: 'x' }, 'race'],
    ['political party', { political_party: 'x' }, 'politicalparty'],
    ['orientation alone', { orientation: 'x' }, 'orientation'],
    ['year of birth, abbreviated', { yob: 1990 }, 'yob'],
    ['born', { born: 1990 }, 'born'],
    ['born in', { bornIn: 'x' }, 'born'],
  ])('refuses %s: %j', (_, context, name) => expect(refusal(context)).toBe(name));

  it('refuses a group named in the plural whatever its ending: Hindus, Muslims, Sikhs, Catholics', () => {
    // singularOf keeps -us words (status, bonus): the plural of hindu was let through before
    for (const [value, name] of [
      ['Hindus', 'hindu'],
      ['hindus in the area', 'hindu'],
      ['Muslims', 'muslim'],
      ['Sikhs', 'sikh'],
      ['Catholics', 'catholic'],
    ])
      expect(refusal({ segment: value! }), value).toBe(name);
    expect(refusal({ segment: 'status bonus campus' })).toBeUndefined();
  });

  it('refuses every name of a group the same way: hispanic, asian, latinx, african american', () => {
    for (const value of ['hispanic', 'asian', 'Latinx', 'African-American listeners', 'asians', 'men', 'queer'])
      expect(refusal({ segment: value }), value).toBeDefined();
  });

  // Each of these was refused before.
  it.each(['ageRating', 'cacheAge', 'raceDay', 'birthdayPromo'])('lets the ordinary key %s through', (key) =>
    expect(refusal({ [key]: 'x' })).toBeUndefined(),
  );

  it.each([
    'language',
    'page',
    'pages',
    'userAgent',
    'message',
    'storage',
    'screen_orientation',
    'deviceOrientation',
    'orientationLock',
    'trace_id',
    'stage',
    'usage',
    'average_rating',
    'homepage',
    'manual',
    'manager',
    'menu',
    'human',
    'email',
    'image',
    'status',
    'class',
    'bonus',
    'analysis',
    'mood',
    'hour',
    'weekday',
    'device',
    'minutesAvailable',
    'content_age_rating',
    'trackAge',
    'session-age',
    'ageRestricted',
    'horseRace',
    'raceTrack',
    'raceCondition',
    'birthday_playlist',
    'autoplayDisabled',
    'partySize',
  ])('lets the ordinary key %s through', (key) => expect(refusal({ [key]: 'x' })).toBeUndefined());

  it.each([
    ['userAge', 'age'],
    ['ageGroup', 'age'],
    ['age', 'age'],
    ['ages', 'age'],
    ['userAgeCache', 'age'],
    ['listenerAge', 'age'],
    ['race', 'race'],
    ['user_race', 'race'],
    ['birthday', 'birthday'],
    ['userBirthday', 'birthday'],
    ['birthdays', 'birthday'],
    ['sexualOrientation', 'sexualorientation'],
    ['userOrientation', 'orientation'],
    ['disabled', 'disabled'],
    ['userDisabled', 'disabled'],
    ['isDisabled', 'disabled'],
    ['ethnicities', 'ethnicity'],
    ['disabilities', 'disability'],
    ['sexes', 'sex'],
    ['datesOfBirth', 'dateofbirth'],
    ['skin_colours', 'skincolour'],
    ['politics', 'politics'],
    ['politicalViews', 'politicalview'],
    ['isMale', 'male'],
    ['segment_lgbtq', 'lgbtq'],
  ])('refuses %s as %s', (key, name) => expect(refusal({ [key]: 'x' })).toBe(name));

  it('lets ordinary values through, colours included', () => {
    for (const value of ['commuters', 'mellow', 'black', 'white', 'workout', 'morning', 'speaker', 'germany'])
      expect(refusal({ segment: value }), value).toBeUndefined();
  });

  it('checks a value only against groups, not against attribute names', () => {
    expect(refusal({ sortBy: 'age' })).toBeUndefined();
    expect(refusal({ topic: 'gender studies' })).toBeUndefined();
  });

  it('applies the other senses to a name of an extended list too, and only where a neighbour gives them', () => {
    const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['income', 'tribes'] } });
    expect(refusal({ incomes: 'x' }, custom)).toBe('income');
    expect(refusal({ tribe: 'x' }, custom)).toBe('tribes');
    expect(refusal({ tribes: 'x' }, custom)).toBe('tribes');
    expect(refusal({ cacheAge: 'x' }, custom)).toBeUndefined();
    expect(refusal({ ageCache: 'x' }, custom)).toBe('age');
  });
});

describe('protected names in any spelling', () => {
  // Every look-alike letter, each written into a protected name (the Latin letter it stands for).
  const LOOK_ALIKES: [lookAlike: string, latin: string, carrier: string][] = [
    ['а', 'a', 'caste'],
    ['в', 'b', 'dob'],
    ['е', 'e', 'gender'],
    ['ё', 'e', 'gender'],
    ['к', 'k', 'skin_tone'],
    ['м', 'm', 'muslim'],
    ['н', 'h', 'ethnicity'],
    ['о', 'o', 'dob'],
    ['р', 'p', 'pregnant'],
    ['с', 'c', 'caste'],
    ['т', 't', 'caste'],
    ['у', 'y', 'ethnicity'],
    ['х', 'x', 'sex'],
    ['ѕ', 's', 'sex'],
    ['і', 'i', 'religion'],
    ['ї', 'i', 'religion'],
    ['ј', 'j', 'jewish'],
    ['ԁ', 'd', 'dob'],
    ['ԛ', 'q', 'iq'],
    ['ԝ', 'w', 'women'],
    ['һ', 'h', 'ethnicity'],
    ['ӏ', 'l', 'religion'],
    ['α', 'a', 'caste'],
    ['β', 'b', 'dob'],
    ['ε', 'e', 'gender'],
    ['η', 'n', 'gender'],
    ['ι', 'i', 'religion'],
    ['κ', 'k', 'skin_tone'],
    ['ν', 'v', 'political_view'],
    ['ο', 'o', 'dob'],
    ['ρ', 'p', 'pregnant'],
    ['τ', 't', 'caste'],
    ['υ', 'u', 'muslim'],
    ['χ', 'x', 'sex'],
    ['γ', 'y', 'ethnicity'],
  ];
  let withIq: Recommender | undefined;

  it.each(LOOK_ALIKES)('reads %s as %s (in %s)', (lookAlike, latin, carrier) => {
    withIq ??= createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['iq'] } });
    const key = carrier.replace(latin, lookAlike);
    expect(key).not.toBe(carrier);
    expect(refusal({ [key]: 'x' }, withIq)).toBeDefined();
    expect(refusal({ [key.toUpperCase()]: 'x' }, withIq)).toBeDefined();
  });

  it('reads full-width letters and accents', () => {
    expect(refusal({ ｇｅｎｄｅｒ: 'x' })).toBe('gender');
    expect(refusal({ gendér: 'x' })).toBe('gender');
    expect(refusal({ segment: 'fémale' })).toBe('female');
  });

  it('splits words at digits, both ways', () => {
    expect(refusal({ age18to24: true })).toBe('age');
    expect(refusal({ v2gender: 'x' })).toBe('gender');
    expect(refusal({ segment: 'female25to34' })).toBe('female');
    expect(refusal({ stage2: 'x' })).toBeUndefined();
  });

  it('splits camelCase after a lower-case letter or a digit, and at the end of an upper-case run', () => {
    expect(refusal({ userGender: 'x' })).toBe('gender');
    expect(refusal({ v2Gender: 'x' })).toBe('gender');
    expect(refusal({ DOBField: 'x' })).toBe('dob');
    expect(refusal({ USERGender: 'x' })).toBe('gender');
    expect(refusal({ homePage: 'x' })).toBeUndefined();
  });

  it('joins a run of whole words, wherever it starts, and never a word cut in two', () => {
    expect(refusal({ user_year_of_birth: 'x' })).toBe('yearofbirth');
    expect(refusal({ 'Date Of  Birth': 'x' })).toBe('dateofbirth');
    expect(refusal({ x_____sex: 'x' })).toBe('sex');
    expect(refusal({ sextant: 'x' })).toBeUndefined();
    expect(refusal({ 'sex-tant': 'x' })).toBe('sex');
    expect(refusal({ essex: 'x' })).toBeUndefined();
  });
});

describe('the other senses of a protected name', () => {
  const cases = Object.entries(OTHER_SENSES).flatMap(([name, { before = [], after = [] }]) => [
    ...before.filter((w) => w !== '*').map((w) => [`${w}_${name}`, name] as const),
    ...after.map((w) => [`${name}_${w}`, name] as const),
  ]);

  it('has a sense for each listed neighbour: the compound passes', () => {
    expect(cases.length).toBeGreaterThan(50);
    for (const [key] of cases) expect(refusal({ [key]: 'x' }), key).toBeUndefined();
  });

  it('only there: the same name beside a person, alone or beside an unknown word is refused', () => {
    for (const name of Object.keys(OTHER_SENSES)) {
      expect(refusal({ [name]: 'x' }), name).toBe(name);
      expect(refusal({ [`user_${name}`]: 'x' }), name).toBe(name);
      expect(refusal({ [`${name}_bracket`]: 'x' }), name).toBe(name);
      // a neighbour gives its sense from its own side only
      for (const [key] of cases.filter(([, n]) => n === name)) {
        const [first, second] = key.split('_') as [string, string];
        if (first === name && !(OTHER_SENSES[name]!.before ?? []).includes(second))
          expect(refusal({ [`${second}_${first}`]: 'x' }), `${second}_${first}`).toBe(name);
      }
    }
  });

  it('lets a feature be disabled, but not a person', () => {
    for (const thing of ['autoplay', 'shuffle', 'ads', 'notifications'])
      expect(refusal({ [`${thing}Disabled`]: true }), thing).toBeUndefined();
    for (const person of PERSON_WORDS) expect(refusal({ [`${person}_disabled`]: true }), person).toBe('disabled');
    expect(PERSON_WORDS.size).toBeGreaterThan(10);
  });
});

describe('protected names: words, forms and lists', () => {
  it('reads an all-caps snake_case key word by word: CACHE_AGE is the age of a cache, USER_AGE a person’s', () => {
    expect(refusal({ CACHE_AGE: 'x' })).toBeUndefined();
    expect(refusal({ AGE_RATING: 'x' })).toBeUndefined();
    expect(refusal({ USER_AGE: 'x' })).toBe('age');
  });

  it('a group spelt in two words is the group: trans-gender, African American', () => {
    expect(refusal({ segment: 'Trans-Gender' })).toBe('transgender');
    expect(refusal({ segment: 'trans gender listeners' })).toBe('transgender');
    expect(refusal({ segment: 'African American' })).toBe('africanamerican');
  });

  it('an extended name of two words matches its words in any spelling', () => {
    const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['home town'] } });
    for (const key of ['homeTown', 'home_town', 'HOME-TOWN', 'user home towns'])
      expect(refusal({ [key]: 'x' }, custom), key).toBe('hometown');
    expect(refusal({ home: 'x' }, custom)).toBeUndefined();
  });

  it('a word of three letters is never made singular: with SES protected, a region "se" passes', () => {
    const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['SES'] } });
    expect(refusal({ ses: 'x' }, custom)).toBe('ses');
    expect(refusal({ userSES: 'x' }, custom)).toBe('ses');
    expect(refusal({ region_se: 'x' }, custom)).toBeUndefined();
  });

  it('a plural is read at the end of a word only: with chest protected, chests is refused and Chester passes', () => {
    const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['chest'] } });
    expect(refusal({ chests: 'x' }, custom)).toBe('chest');
    expect(refusal({ chesterStore: 'x' }, custom)).toBeUndefined();
  });

  it('a neighbour in the plural gives its sense like the singular: sessionsAge, birthdayDiscounts, displaysOrientation', () => {
    // Each plural has -ss, -us or -is inside the word (sessions, discounts, displays, classifications).
    for (const key of ['sessionsAge', 'messages_age', 'birthdayDiscounts', 'displaysOrientation', 'ageClassifications'])
      expect(refusal({ [key]: 'x' }), key).toBeUndefined();
  });

  it('an extended name ending in -i or -u matches its plural as written: sufis, sadhus', () => {
    const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend: ['sufi', 'sadhu'] } });
    expect(refusal({ sufis: 'x' }, custom)).toBe('sufi');
    expect(refusal({ sadhus: 'x' }, custom)).toBe('sadhu');
  });

  it('a key that is a listed name is refused as that name, whatever the order of the list', () => {
    for (const extend of [
      ['tribe', 'tribes'],
      ['tribes', 'tribe'],
    ]) {
      const custom = createRecommender({ items: [{ id: 'a' }], protectedAttributes: { extend } });
      expect(refusal({ tribe: 'x' }, custom), extend.join()).toBe('tribe');
      expect(refusal({ tribes: 'x' }, custom), extend.join()).toBe('tribes');
      expect(refusal({ user_tribe: 'x' }, custom), extend.join()).toBe('tribe');
    }
  });
});
