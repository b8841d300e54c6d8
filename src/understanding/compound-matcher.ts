/**
 * Finds which compounds a piece of chat text names. Returns scored candidates and never picks among close
 * ones by itself: `resolveCompound` says "one", "ambiguous" or "none".
 *
 * Tolerates 全角/半角, punctuation, 号楼/栋, a missing 小区/社区 suffix, homophone and one-character typos
 * (names of 3+ characters), and pinyin initials (fygy → 福源公寓).
 */
import { createRequire } from 'node:module';
import { editDistance, foldText, foldWithMap } from './text-fold.ts';

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
  /** A near match (a homophone or a typo), not a form of the name as written: worth a "did you mean". */
  fuzzy: boolean;
}

/** Scores at or above this are sure enough to act on without asking. */
export const CONFIDENT_SCORE = 0.8;

/** Folds full-width forms, case, spaces and punctuation so that 梅园（西24.25号楼） ≈ 梅园(西24、25号楼). */
export function canonicalText(s: string): string {
  return foldText(s);
}

interface Form {
  text: string;
  score: number;
}

interface Hit extends MatchCandidate {
  /** Offsets in the folded text. */
  start: number;
  end: number;
  /** The hit lies inside a community's name (紫薇社区 is both a compound and a community). */
  communityLike: boolean;
}

const SUFFIX = /(小区|社区)$/;

function formsOf(c: MatchableCompound): Form[] {
  const out = new Map<string, number>();
  const add = (t: string, score: number) => {
    if ([...t].length >= 2 && (out.get(t) ?? 0) < score) out.set(t, score);
  };
  [c.name, ...c.aliases].forEach((n, i) => {
    const k = foldText(n);
    add(k, i === 0 ? 1 : 0.95);
    add(k.replace(SUFFIX, ''), 0.9);
  });
  // 梅园（西24.25号楼） is often called just 梅园: a weak hint, never enough on its own.
  const paren = /^(.+?)[（(]/.exec(c.name.normalize('NFKC'));
  if (paren) add(foldText(paren[1]!), 0.55);
  // 欧情 / 龙珠: the first two characters of a longer name point at a family of compounds to choose from.
  const head = [...foldText(c.name)];
  if (head.length >= 4 && isCjk(head[0]!) && isCjk(head[1]!)) add(head.slice(0, 2).join(''), 0.5);
  return [...out].map(([text, score]) => ({ text, score }));
}

const formCache = new WeakMap<MatchableCompound, Form[]>();
function formsCached(c: MatchableCompound): Form[] {
  let f = formCache.get(c);
  if (!f) {
    f = formsOf(c);
    formCache.set(c, f);
  }
  return f;
}

// Loaded on first use (the dictionary is large): most messages never need the pinyin of a name.
const requireLazily = createRequire(import.meta.url);
let pinyin: typeof import('pinyin-pro').pinyin | null = null;
function pinyinArray(s: string): string[] {
  pinyin ??= (requireLazily('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return pinyin(s, { toneType: 'none', type: 'array' });
}

const syllableCache = new Map<string, string[]>();
function pinyinCached(form: string): string[] {
  let p = syllableCache.get(form);
  if (!p) {
    p = pinyinArray(form);
    syllableCache.set(form, p);
  }
  return p;
}

const pinyinCache = new Map<string, { full: string; initials: string }>();
function pinyinKeys(form: string) {
  let k = pinyinCache.get(form);
  if (!k) {
    const syllables = pinyinCached(form);
    k = { full: syllables.join(''), initials: syllables.map((p) => p[0] ?? '').join('') };
    pinyinCache.set(form, k);
  }
  return k;
}

const isCjk = (ch: string) => /[\u4e00-\u9fff]/.test(ch);

function exactHits(t: string, c: MatchableCompound, forms: Form[], out: Hit[]) {
  for (const f of forms) {
    for (let at = t.indexOf(f.text); at >= 0; at = t.indexOf(f.text, at + 1)) {
      out.push({ compound: c, score: f.score, matched: f.text, fuzzy: false, start: at, end: at + f.text.length, communityLike: false });
    }
  }
}

/**
 * Homophones (福元公寓 → 福源公寓) and small typos (福源公寓 ← 福源公yu), on names of 3+ characters. Linear in the
 * text: a window is compared only when one of its first characters is (or sounds like) one of the name's first.
 */
function fuzzyHits(chars: string[], py: string[], c: MatchableCompound, forms: Form[], out: Hit[]) {
  const present = new Set(chars);
  const sounds = new Set(py);
  for (const f of forms) {
    if (f.score < 0.9) continue;
    const fc = [...f.text];
    if (fc.length < 3 || !fc.every(isCjk)) continue;
    const fpy = pinyinCached(f.text);
    const maxD = fc.length >= 7 ? 2 : 1;
    // Cheap filter for large campaigns: a near match shares all but one or two characters (or their sounds).
    const shared = fc.filter((ch, j) => present.has(ch) || sounds.has(fpy[j]!)).length;
    if (shared < fc.length - maxD) continue;
    const anchorChars = new Set(fc.slice(0, maxD + 1));
    const anchorSounds = new Set(fpy.slice(0, maxD + 1));
    const anchored = (i: number) => {
      for (let k = i; k <= i + maxD && k < chars.length; k++) if (anchorChars.has(chars[k]!) || anchorSounds.has(py[k]!)) return true;
      return false;
    };
    for (let i = 0; i < chars.length; i++) {
      if (!isCjk(chars[i]!) || !anchored(i)) continue;
      for (let len = Math.max(2, fc.length - maxD); len <= fc.length + maxD && i + len <= chars.length; len++) {
        if (!isCjk(chars[i + len - 1]!)) continue;
        const w = chars.slice(i, i + len).join('');
        if (w === f.text) continue;
        if (len === fc.length && fc.every((ch, j) => chars[i + j] === ch || py[i + j] === fpy[j])) {
          out.push({ compound: c, score: 0.85, matched: w, fuzzy: true, start: i, end: i + len, communityLike: false });
          continue;
        }
        const d = editDistance(w, f.text);
        if (d <= maxD) out.push({ compound: c, score: 0.65 - 0.05 * d, matched: w, fuzzy: true, start: i, end: i + len, communityLike: false });
      }
    }
  }
}

/** Latin tokens compared with each name's pinyin initials or full pinyin (fygy, fuyuangongyu). */
function pinyinHits(t: string, c: MatchableCompound, forms: Form[], out: Hit[]) {
  for (const m of t.matchAll(/[a-z]{3,}/g)) {
    for (const f of forms) {
      if (f.score < 0.9) continue;
      const k = pinyinKeys(f.text);
      if (m[0] === k.initials || m[0] === k.full) {
        out.push({ compound: c, score: 0.8, matched: f.text, fuzzy: false, start: m.index, end: m.index + m[0].length, communityLike: false });
      }
    }
  }
}

function communitySpans(t: string, compounds: MatchableCompound[]): Array<[number, number, string]> {
  const names = new Set(compounds.map((c) => foldText(c.community)));
  const spans: Array<[number, number, string]> = [];
  for (const n of names) {
    for (let at = t.indexOf(n); at >= 0; at = t.indexOf(n, at + 1)) spans.push([at, at + n.length, n]);
  }
  return spans;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** The text the matcher looks at, at most: a compound is named near the start of what people write. */
const MAX_MATCH_CHARS = 2000;

/** Every hit that survives the community and shadowing rules, in folded-text offsets. */
function acceptedHits(t: string, compounds: MatchableCompound[]): Hit[] {
  if (!t) return [];
  const chars = [...t];
  const py = /[\u4e00-\u9fff]/.test(t) ? pinyinArray(t) : [];
  const hits: Hit[] = [];
  for (const c of compounds) {
    const forms = formsCached(c);
    exactHits(t, c, forms, hits);
    if (py.length === chars.length) fuzzyHits(chars, py, c, forms, hits);
    pinyinHits(t, c, forms, hits);
  }
  // A near match around the name as written (书香花苑和) is that name again, not another place.
  const exact = hits.filter((h) => !h.fuzzy);
  const plain = hits.filter((h) => !h.fuzzy || !exact.some((e) => e.compound.id === h.compound.id && e.score >= h.score && overlaps(e, h)));
  const spans = communitySpans(t, compounds);
  const kept: Hit[] = [];
  for (const h of plain) {
    const inCommunity = spans.find(([s, e]) => h.start >= s && h.end <= e);
    if (inCommunity && h.score < CONFIDENT_SCORE) continue;
    if (inCommunity) {
      h.communityLike = true;
      h.score = Math.min(h.score, 0.7);
    }
    kept.push(h);
  }
  kept.sort((a, b) => b.score - a.score || b.end - b.start - (a.end - a.start));
  const accepted: Hit[] = [];
  for (const h of kept) {
    const shadowed = accepted.some(
      (k) => k.compound.id !== h.compound.id && overlaps(k, h) &&
        (k.score >= h.score + 0.1 || (k.score >= h.score && k.end - k.start > h.end - h.start)),
    );
    if (!shadowed) accepted.push(h);
  }
  if (accepted.some((h) => !h.communityLike)) return accepted.filter((h) => !h.communityLike);
  return accepted;
}

const candidateOf = (h: Hit): MatchCandidate => ({ compound: h.compound, score: Math.round(h.score * 100) / 100, matched: h.matched, fuzzy: h.fuzzy });

export function findCompoundCandidates(text: string, compounds: MatchableCompound[]): MatchCandidate[] {
  const t = foldText(text.slice(0, MAX_MATCH_CHARS));
  const best = new Map<number, Hit>();
  for (const h of acceptedHits(t, compounds)) if (!best.has(h.compound.id) || best.get(h.compound.id)!.score < h.score) best.set(h.compound.id, h);
  return [...best.values()].sort((a, b) => b.score - a.score || a.start - b.start).map(candidateOf);
}

/** One place in the text that names a compound (or several that fit it), with its span in the source. */
export interface CompoundMention {
  /** Offsets in the string given to `findCompoundMentions`. */
  start: number;
  end: number;
  /** Surest first. */
  candidates: MatchCandidate[];
}

/**
 * The places a prepared text (`prepareText`) names compounds, in order. Hits that overlap are one mention
 * whose candidates the person may have to choose from; a weak hit elsewhere (龙珠 inside 龙珠物业) is dropped
 * when a sure one exists.
 */
export function findCompoundMentions(prepared: string, compounds: MatchableCompound[]): CompoundMention[] {
  const folded = foldWithMap(prepared.slice(0, MAX_MATCH_CHARS));
  const hits = acceptedHits(folded.text, compounds).sort((a, b) => a.start - b.start || b.score - a.score);
  const clusters: Hit[][] = [];
  for (const h of hits) {
    const c = clusters.find((cl) => cl.some((x) => overlaps(x, h)));
    if (c) c.push(h);
    else clusters.push([h]);
  }
  const mentions = clusters.map((cl) => {
    const best = new Map<number, Hit>();
    for (const h of cl) if (!best.has(h.compound.id) || best.get(h.compound.id)!.score < h.score) best.set(h.compound.id, h);
    // The span of each compound's best hit: a near match one character longer than an exact one is not the name.
    const start = Math.min(...[...best.values()].map((h) => h.start));
    const end = Math.max(...[...best.values()].map((h) => h.end));
    return {
      start: folded.from[start]!,
      end: folded.to[end - 1]!,
      candidates: [...best.values()].sort((a, b) => b.score - a.score).map(candidateOf),
    };
  });
  const sure = mentions.some((m) => m.candidates[0]!.score >= CONFIDENT_SCORE);
  return mentions.filter((m) => !sure || m.candidates[0]!.score >= 0.6).sort((a, b) => a.start - b.start);
}

/** Whether a mention names one compound for sure (as written, not a near match, not one of several). */
export function isSureMention(m: CompoundMention): boolean {
  const [top, second] = m.candidates;
  if (!top || top.fuzzy || top.score < CONFIDENT_SCORE) return false;
  return !second || second.score < top.score - 0.2;
}

export type Resolution =
  | { kind: 'one'; candidate: MatchCandidate }
  | { kind: 'ambiguous'; candidates: MatchCandidate[] }
  | { kind: 'none' };

/** Candidates within this distance of the best one are "close": the person chooses among them. */
const CLOSE = 0.2;

export function resolveCompound(candidates: MatchCandidate[]): Resolution {
  if (candidates.length === 0) return { kind: 'none' };
  const top = candidates[0]!.score;
  const close = candidates.filter((c) => c.score >= top - CLOSE);
  if (close.length === 1) return { kind: 'one', candidate: close[0]! };
  return { kind: 'ambiguous', candidates: close };
}
