/**
 * Finds which compounds a piece of chat text names. Returns scored candidates and never picks among close
 * ones by itself: `resolveCompound` says "one", "ambiguous" or "none".
 */

export interface MatchableCompound {
  id: number;
  name: string;
  aliases: string[];
  community: string;
  communityId: number;
}

export interface MatchCandidate {
  compound: MatchableCompound;
  /** 0..1, higher is surer. */
  score: number;
  /** The form of the name that matched. */
  matched: string;
}

/** Folds full-width forms, case, spaces and punctuation so that 梅园（西24.25号楼） ≈ 梅园(西24、25号楼). */
export function canonicalText(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s()（）【】\[\]「」“”"'、，,。.·:：;；!！?？\-—_/]/g, '');
}

function forms(c: MatchableCompound): string[] {
  const out = new Set<string>();
  for (const n of [c.name, ...c.aliases]) {
    const k = canonicalText(n);
    if (k.length >= 2) out.add(k);
    const bare = k.replace(/(小区|社区)$/, '');
    if (bare.length >= 2) out.add(bare);
  }
  return [...out];
}

export function findCompoundCandidates(text: string, compounds: MatchableCompound[]): MatchCandidate[] {
  const t = canonicalText(text);
  const out: MatchCandidate[] = [];
  for (const c of compounds) {
    let best: MatchCandidate | null = null;
    for (const f of forms(c)) {
      if (t.includes(f)) {
        const score = Math.min(1, 0.6 + f.length / 20);
        if (!best || score > best.score) best = { compound: c, score, matched: f };
      }
    }
    if (best) out.push(best);
  }
  // A candidate whose matched form sits inside another candidate's longer form is the same mention.
  const kept = out.filter((a) => !out.some((b) => b !== a && b.matched.length > a.matched.length && b.matched.includes(a.matched)));
  return kept.sort((a, b) => b.score - a.score);
}

export type Resolution =
  | { kind: 'one'; candidate: MatchCandidate }
  | { kind: 'ambiguous'; candidates: MatchCandidate[] }
  | { kind: 'none' };

export function resolveCompound(candidates: MatchCandidate[]): Resolution {
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'one', candidate: candidates[0]! };
  return { kind: 'ambiguous', candidates };
}
