/** How a grievance text is prepared for routing: one folded form for the rules, n-grams for the classifier. */

/** Folds full-width forms and case, and drops spaces, so keywords match however the text was typed. */
export function foldForRouting(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/g, '');
}

/**
 * Blanks names (the compounds' own names, which may contain a keyword such as 联通佳苑 or 翼云公寓) so they
 * neither match a rule nor teach the classifier; the longest name is blanked first.
 */
export function blankNames(folded: string, names: readonly string[]): string {
  const list = [...new Set(names.map(foldForRouting).filter((x) => x.length >= 2))].sort((a, b) => b.length - a.length);
  let t = folded;
  for (const name of list) t = t.split(name).join('|');
  return t;
}

/** Runs of Chinese characters or Latin letters; digits, punctuation and blanked names break them. */
function runs(folded: string): string[] {
  return folded.split(/[^\p{Script=Han}a-z]+/u).filter(Boolean);
}

/**
 * The classifier's features: character 1- to 3-grams within each run, each counted once per text (short texts
 * say a thing once; repeating a word should not outweigh the rest).
 */
export function charNgrams(folded: string, maxN = 3): string[] {
  const out = new Set<string>();
  for (const run of runs(folded)) {
    const chars = [...run];
    for (let n = 1; n <= maxN; n++) {
      for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(''));
    }
  }
  return [...out];
}
