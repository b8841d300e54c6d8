/**
 * Finds which compounds a piece of chat text names. Returns scored candidates and never picks among close
 * ones by itself: `resolveCompound` says "one", "ambiguous" or "none".
 *
 * Tolerates 全角/半角, punctuation, 号楼/栋, a missing 小区/社区 suffix, homophone and one-character typos
 * (names of 3+ characters), and pinyin initials (fygy → 福源公寓).
 */
import { createRequire } from 'node:module';
import { editDistance, foldText } from './text-fold.ts';

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
    let from = 0;
    for (;;) {
      const at = t.indexOf(f.text, from);
      if (at < 0) break;
      const end = at + f.text.length;
      out.push({ compound: c, score: f.score, matched: f.text, start: at, end, communityLike: false });
      from = at + 1;
    }
  }
}

/** Homophones (福元公寓 → 福源公寓) and small typos (福源公寓 ← 福源公yu), on names of 3+ characters. */
function fuzzyHits(chars: string[], py: string[], c: MatchableCompound, forms: Form[], out: Hit[]) {
  const present = new Set(chars);
  const sounds = new Set(py);
  for (const f of forms) {
    if (f.score < 0.9) continue;
    const fc = [...f.text];
    if (fc.length < 3 || !fc.every(isCjk)) continue;
    const fpy = pinyinCached(f.text);
    // Cheap filter for large campaigns: a near match shares all but one or two characters (or their sounds).
    const shared = fc.filter((ch, j) => present.has(ch) || sounds.has(fpy[j]!)).length;
    if (shared < fc.length - (fc.length >= 7 ? 2 : 1)) continue;
    const maxD = fc.length >= 7 ? 2 : 1;
    for (let len = fc.length - maxD; len <= fc.length + maxD; len++) {
      if (len < 2) continue;
      for (let i = 0; i + len <= chars.length; i++) {
        const win = chars.slice(i, i + len);
        if (!isCjk(win[0]!) || !isCjk(win[len - 1]!)) continue;
        const w = win.join('');
        if (w === f.text) continue;
        if (len === fc.length && win.every((ch, j) => ch === fc[j] || py[i + j] === fpy[j])) {
          out.push({ compound: c, score: 0.85, matched: w, start: i, end: i + len, communityLike: false });
          continue;
        }
        const d = editDistance(w, f.text);
        if (d <= maxD) out.push({ compound: c, score: 0.65 - 0.05 * d, matched: w, start: i, end: i + len, communityLike: false });
      }
    }
  }
}

/** Latin tokens compared with each name's pinyin initials or full pinyin (fygy, fuyuangongyu). */
function pinyinHits(chars: string[], c: MatchableCompound, forms: Form[], out: Hit[]) {
  const t = chars.join('');
  for (const m of t.matchAll(/[a-z]{3,}/g)) {
    const start = [...t.slice(0, m.index)].length;
    for (const f of forms) {
      if (f.score < 0.9) continue;
      const k = pinyinKeys(f.text);
      if (m[0] === k.initials || m[0] === k.full) {
        out.push({ compound: c, score: 0.8, matched: f.text, start, end: start + [...m[0]].length, communityLike: false });
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

const overlaps = (a: Hit, b: Hit) => a.start < b.end && b.start < a.end;

export function findCompoundCandidates(text: string, compounds: MatchableCompound[]): MatchCandidate[] {
  const t = foldText(text);
  if (!t) return [];
  const chars = [...t];
  // Offsets below are in code points for fuzzy/pinyin hits and in UTF-16 units for exact hits; names are BMP
  // characters, so the two agree.
  const py = pinyinArray(t);
  const hits: Hit[] = [];
  for (const c of compounds) {
    const forms = formsOf(c);
    exactHits(t, c, forms, hits);
    if (py.length === chars.length) fuzzyHits(chars, py, c, forms, hits);
    pinyinHits(chars, c, forms, hits);
  }
  const spans = communitySpans(t, compounds);
  const kept: Hit[] = [];
  for (const h of hits) {
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
  const best = new Map<number, Hit>();
  for (const h of accepted) if (!best.has(h.compound.id)) best.set(h.compound.id, h);
  let out = [...best.values()];
  if (out.some((h) => !h.communityLike)) out = out.filter((h) => !h.communityLike);
  return out
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .map(({ compound, score, matched }) => ({ compound, score: Math.round(score * 100) / 100, matched }));
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
