/** Text folding shared by the matchers and extractors: one canonical form for how people type. */

/** Folds full-width forms, case, spaces and punctuation, and writes 栋/幢/# as 号楼. */
export function foldText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\d)\s*(栋|幢|#楼|#)/g, '$1号楼')
    .replace(/[\s()（）【】\[\]「」『』“”"'‘’、，,。.·:：;；!！?？\-—–_/\\|~～<>《》]/g, '');
}

/** Levenshtein distance over code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length]!;
}

/** Raw text prepared for extraction: NFKC (full-width digits and punctuation become half-width). */
export function halfWidth(s: string): string {
  return s.normalize('NFKC').replace(/\u3000/g, ' ');
}
