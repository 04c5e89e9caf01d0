/**
 * Protected attributes: context keys (and values) attune never targets on.
 *
 * A key is split into its words — camelCase, snake_case, kebab-case, spaces
 * and digits all separate words — after folding it to plain lower-case
 * Latin: Unicode NFKC (full-width letters), accents removed (`gendér`), and
 * look-alike Cyrillic and Greek letters mapped to the Latin ones they mimic
 * (`gеnder` with a Cyrillic е). The key is protected when a run of
 * consecutive words, joined, is a protected name: `user_gender`,
 * `yearOfBirth`, `DOB` and `skin_color` are; `language`, `page`, `usage`,
 * `stage`, `trace_id` and `screen_orientation` are not (whole words only,
 * and `orientation` alone is not sexual orientation).
 *
 * String values are checked the same way against a short list of words that
 * can only name a protected group (`{ segment: 'female' }`), so a protected
 * attribute cannot be smuggled in under an innocent key.
 */

/** Latin letters that Cyrillic and Greek letters are commonly used to imitate. */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
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
  ї: 'i',
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

/** Folds text to lower-case plain Latin letters and digits, with word breaks kept as spaces. */
export function foldText(text: string): string {
  const nfkc = text.normalize('NFKC');
  // split camelCase before lower-casing: fooBar, HTTPServer, ABC1
  const spaced = nfkc.replace(/([\p{Ll}\p{Nd}])(\p{Lu})/gu, '$1 $2').replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2');
  const plain = spaced
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  let out = '';
  for (const ch of plain) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/([a-z])([0-9])/g, '$1 $2').replace(/([0-9])([a-z])/g, '$1 $2');
}

/** The words of a key or value, folded (see {@link foldText}). */
export function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** A protected name in its matching form: its words joined (`date of birth` → `dateofbirth`). */
export function protectedName(name: string): string {
  return wordsOf(name).join('');
}

/** The protected name that `text` contains as a run of whole words, if any. */
export function findProtected(text: string, names: ReadonlySet<string>): string | undefined {
  const words = wordsOf(text);
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    for (let j = i; j < words.length; j++) {
      joined += words[j];
      if (names.has(joined)) return joined;
    }
  }
  return undefined;
}
