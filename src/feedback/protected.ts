/**
 * Protected attributes: context keys, flags and values attune never targets on.
 *
 * Text is split into its words — camelCase, snake_case, kebab-case, spaces
 * and digits all separate words — after folding it to plain lower-case
 * Latin: Unicode NFKC (full-width letters), accents removed (`gendér`), and
 * look-alike Cyrillic and Greek letters mapped to the Latin ones they mimic
 * (`gеnder` with a Cyrillic е). Words are compared in their singular form
 * too (`genders`, `races`, `datesOfBirth`).
 *
 * A key is protected when a run of consecutive words, joined, is a protected
 * name (`user_gender`, `yearOfBirth`, `DOB`, `skin_color`, `political_party`)
 * or a word that can only name a protected group — a flag such as
 * `{ female: true }`, `{ 'segment=female': true }` or `{ women: 'yes' }`.
 * Whole words only: `language`, `page`, `usage`, `stage` and `trace_id` are
 * not protected. A few names have another sense that a neighbouring word
 * gives away (`ageRating`, `cacheAge`, `raceDay`, `birthdayPromo`,
 * `screen_orientation`): see {@link otherSenses}. A key that the table does
 * not know is refused — the cost of a mistake is a renamed key, never a
 * protected attribute let through.
 *
 * String values are checked against the group words (`{ segment: 'female' }`,
 * `{ audience: 'Muslim listeners' }`), so that a protected attribute cannot be
 * smuggled in under an innocent key.
 */
import { DEFAULT_PROTECTED_VALUES } from '../constants.js';

/**
 * Latin letters that Cyrillic and Greek letters are commonly used to imitate.
 * Letters with a diacritic (ё, ї) need no entry: the diacritic is removed
 * first, and the letter under it is here. The tables of this file are built
 * where they are read, not at load nor once for all, so that a mutation run
 * sees every test that reads an entry (a folding costs far more than the table).
 */
function lookAlikes(): Readonly<Record<string, string>> {
  return {
    а: 'a',
    в: 'b',
    е: 'e',
    к: 'k',
    м: 'm',
    н: 'h',
    о: 'o',
    р: 'p',
    с: 'c',
    т: 't',
    у: 'y',
    х: 'x',
    ѕ: 's',
    і: 'i',
    ј: 'j',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    һ: 'h',
    ӏ: 'l',
    α: 'a',
    β: 'b',
    ε: 'e',
    η: 'n',
    ι: 'i',
    κ: 'k',
    ν: 'v',
    ο: 'o',
    ρ: 'p',
    τ: 't',
    υ: 'u',
    χ: 'x',
    γ: 'y',
  };
}

/** Folds text to lower-case plain Latin letters and digits, with word breaks kept as spaces. */
export function foldText(text: string): string {
  const nfkc = text.normalize('NFKC');
  // split camelCase before lower-casing: fooBar, HTTPServer, ABC1
  const spaced = nfkc.replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  const plain = spaced
    .normalize('NFD')
    // Stryker disable next-line Regex: with the g flag, removing each mark on its own and removing runs of them give the same text
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  let out = '';
  const table = lookAlikes();
  for (const ch of plain) out += table[ch] ?? ch;
  return out.replace(/([a-z])([0-9])/g, '$1 $2').replace(/([0-9])([a-z])/g, '$1 $2');
}

/** The words of a key or value, folded (see {@link foldText}). */
export function wordsOf(text: string): string[] {
  return (
    foldText(text)
      // Stryker disable next-line Regex: splitting at each separator instead of runs adds only empty words, which the next line drops
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '')
  );
}

/** A protected name in its matching form: its words joined (`date of birth` → `dateofbirth`). */
export function protectedName(name: string): string {
  return wordsOf(name).join('');
}

/**
 * A word's singular form for matching: `genders` → `gender`, `ethnicities`
 * → `ethnicity`, `sexes` → `sex`. Words of three letters or fewer, and
 * words ending in -ss, -us or -is (`class`, `religious`, `analysis`), stay.
 */
export function singularOf(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (/(?:x|ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Stands, in {@link otherSenses}, for any word that does not name a person (`autoplayDisabled`, not `userDisabled`). */
const ANY_THING = '*';

/** Words that name the person the context is about: next to them a name keeps its protected sense. */
export function personWords(): ReadonlySet<string> {
  return new Set([
    'user',
    'person',
    'people',
    'listener',
    'customer',
    'member',
    'viewer',
    'subscriber',
    'client',
    'visitor',
    'guest',
    'reader',
    'shopper',
    'patient',
    'student',
    'employee',
    'child',
    'parent',
    'is',
    'am',
    'has',
    'my',
    'your',
    'their',
    'self',
  ]);
}

/**
 * Neighbouring words (singular or plural) that give a protected name a sense in
 * which it is no attribute of a person: the word just before the name, or the
 * word just after it. `age` after `cache` is the age of a cache, `age` before
 * `rating` a content rating; `race` before `day` is a sports event; a
 * `birthday` promotion is an offer; a screen has an orientation; a feature can
 * be disabled. Anywhere else — alone, next to a person (`userAge`), or next to
 * a word the table does not know (`ageGroup`) — the name is protected.
 */
export function otherSenses(): Readonly<Record<string, { before?: readonly string[]; after?: readonly string[] }>> {
  return {
    age: {
      before: [
        'cache',
        'content',
        'item',
        'track',
        'song',
        'album',
        'file',
        'data',
        'token',
        'session',
        'cookie',
        'page',
        'post',
        'record',
        'entry',
        'message',
        'release',
        'snapshot',
        'model',
        'news',
        'article',
        'story',
        'link',
        'build',
        'index',
      ],
      after: [
        'rating',
        'rated',
        'restriction',
        'restricted',
        'gate',
        'gated',
        'certificate',
        'classification',
        'limit',
      ],
    },
    race: {
      before: ['horse', 'car', 'bike', 'boat', 'drag', 'relay', 'foot', 'road', 'running', 'rat', 'arm', 'space'],
      after: ['day', 'track', 'event', 'result', 'course', 'car', 'lap', 'time', 'condition', 'week', 'series', 'pace'],
    },
    birthday: {
      after: [
        'promo',
        'promotion',
        'offer',
        'sale',
        'campaign',
        'discount',
        'coupon',
        'voucher',
        'reward',
        'card',
        'gift',
        'party',
        'song',
        'playlist',
        'mix',
      ],
    },
    orientation: {
      before: [
        'screen',
        'device',
        'display',
        'page',
        'image',
        'photo',
        'picture',
        'video',
        'camera',
        'print',
        'paper',
        'layout',
        'text',
        'window',
        'view',
        'viewport',
        'map',
        'phone',
        'tablet',
        'canvas',
        'sensor',
      ],
      after: ['lock', 'locked', 'change', 'angle', 'sensor'],
    },
    disabled: { before: [ANY_THING] },
  };
}

/** Whether `word` (as written; `news`, `cookies`) or its singular gives the sense of `list`. */
function senseOf(list: readonly string[] | undefined, word: string | undefined): boolean {
  if (list === undefined || word === undefined) return false;
  const one = singularOf(word);
  if (list.includes(word) || list.includes(one)) return true;
  const persons = personWords();
  return list.includes(ANY_THING) && !persons.has(word) && !persons.has(one);
}

/** Whether the name found between `before` and `after` (the neighbouring words) has another sense there. */
function otherSense(name: string, before: string | undefined, after: string | undefined): boolean {
  const senses = otherSenses()[name];
  return senses !== undefined && (senseOf(senses.before, before) || senseOf(senses.after, after));
}

/** Matching form (a name as written, or its singular) → the name. */
type Forms = ReadonlyMap<string, string>;

function formsOf(names: Iterable<string>): Forms {
  const written = [...names].map(protectedName);
  // Every name as written first: a key that is a listed name is refused as that name, whatever the
  // order of the list (`tribe` as `tribe`, not as the `tribes` listed before it).
  const forms = new Map<string, string>(written.map((name) => [name, name]));
  for (const name of written) {
    const one = singularOf(name);
    if (!forms.has(one)) forms.set(one, name);
    // The plural as written: singularOf keeps words that end in -us or -is (status, analysis), so
    // the plural of a name ending in -u or -i (hindus) needs a form of its own.
    const many = `${name}s`;
    if (!name.endsWith('s') && !forms.has(many)) forms.set(many, name);
  }
  return forms;
}

const compiled = new WeakMap<object, Forms>();

function formsFor(names: ReadonlySet<string> | readonly string[]): Forms {
  let forms = compiled.get(names);
  // Stryker disable next-line ConditionalExpression: a cache; compiling the names again gives the same forms
  if (forms === undefined) compiled.set(names, (forms = formsOf(names)));
  return forms;
}

/** The first name of `forms` that `text` holds as a run of whole words (as written or singular), outside another sense. */
function firstName(text: string, forms: Forms): string | undefined {
  const words = wordsOf(text);
  const singular = words.map(singularOf);
  // Stryker disable next-line EqualityOperator: one past the end starts an empty run: the inner loop does not run
  for (let i = 0; i < words.length; i++) {
    let written = '';
    let one = '';
    // Stryker disable next-line EqualityOperator: one past the end appends `undefined`, and no protected name ends in it
    for (let j = i; j < words.length; j++) {
      written += words[j];
      one += singular[j];
      const name = forms.get(written) ?? forms.get(one);
      if (name !== undefined && !otherSense(name, words[i - 1], words[j + 1])) return name;
    }
  }
  return undefined;
}

/** The protected name (matching form, see {@link protectedName}) that `text` contains as a run of whole words, if any. */
export function findProtected(text: string, names: ReadonlySet<string> | readonly string[]): string | undefined {
  return firstName(text, formsFor(names));
}

/** The protected group that a context value names (`'female'`, `'Muslim listeners'`), if any. */
export function protectedGroup(value: string): string | undefined {
  return firstName(value, formsFor(DEFAULT_PROTECTED_VALUES));
}

/**
 * Why a context key is protected, if it is: the protected attribute it names
 * (`attributes` in matching form), or the group it names — a flag such as
 * `{ female: true }` or `{ 'segment=female': true }` is the attribute itself.
 */
export function protectedKey(key: string, attributes: readonly string[]): string | undefined {
  return findProtected(key, attributes) ?? protectedGroup(key);
}
