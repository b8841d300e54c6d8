/**
 * Finds the property company a piece of text names, tolerantly as for compounds: 鑫安 finds 鑫安物业, and
 * 鑫安物业服务有限公司 is the same company as 鑫安物业. Never picks among close candidates by itself.
 */
import { createRequire } from 'node:module';
import { editDistance, foldText } from './text-fold.ts';

/** The legal and trade endings a company's name is written with or without. */
const SUFFIX = /(物业服务有限责任公司|物业管理有限责任公司|物业服务有限公司|物业管理有限公司|物业服务中心|物业管理中心|物业管理处|物业有限公司|物业公司|有限责任公司|有限公司|服务中心|物业服务|物业管理|物业|公司)$/;

/** The company's core name, the same for every way of writing it: 鑫安物业服务有限公司 → 鑫安. */
export function companyKey(name: string): string {
  const folded = foldText(name);
  const core = folded.replace(SUFFIX, '');
  return core.length >= 2 ? core : folded;
}

export interface KnownCompany {
  key: string;
  /** The name shown: the way it is written most often. */
  name: string;
  /** Every way it has been written. */
  variants: string[];
}

export interface CompanyCandidate {
  company: KnownCompany;
  score: number;
}

const requireLazily = createRequire(import.meta.url);
let pinyin: typeof import('pinyin-pro').pinyin | null = null;
function initials(s: string): string {
  pinyin ??= (requireLazily('pinyin-pro') as typeof import('pinyin-pro')).pinyin;
  return pinyin(s, { toneType: 'none', type: 'array' }).map((p) => p[0] ?? '').join('');
}

/** Scored candidates, best first. */
export function findCompanies(query: string, known: KnownCompany[]): CompanyCandidate[] {
  const q = companyKey(query);
  if ([...q].length < 2) return [];
  const latin = /^[a-z]{2,}$/.test(q);
  const out: CompanyCandidate[] = [];
  for (const company of known) {
    const k = company.key;
    let score = 0;
    if (k === q || company.variants.some((v) => foldText(v) === foldText(query))) score = 1;
    else if (k.includes(q)) score = [...q].length >= 2 ? 0.85 - 0.02 * ([...k].length - [...q].length) : 0;
    else if (q.includes(k) && [...k].length >= 2) score = 0.8;
    else if (latin && initials(k) === q) score = 0.8;
    else if ([...k].length >= 3 && editDistance(k, q) === 1) score = 0.65;
    if (score > 0) out.push({ company, score: Math.round(score * 100) / 100 });
  }
  return out.sort((a, b) => b.score - a.score || a.company.name.localeCompare(b.company.name));
}

export type CompanyResolution =
  | { kind: 'one'; candidate: CompanyCandidate }
  | { kind: 'ambiguous'; candidates: CompanyCandidate[] }
  | { kind: 'none' };

export const CONFIDENT_COMPANY = 0.75;

export function resolveCompany(candidates: CompanyCandidate[]): CompanyResolution {
  if (!candidates.length) return { kind: 'none' };
  const top = candidates[0]!.score;
  const close = candidates.filter((c) => c.score >= top - 0.1);
  if (close.length === 1) return { kind: 'one', candidate: close[0]! };
  // An exact name beats partial ones (鑫安 vs 鑫安达).
  if (top === 1 && close.filter((c) => c.score === 1).length === 1) return { kind: 'one', candidate: close[0]! };
  return { kind: 'ambiguous', candidates: close };
}

/** Groups the names companies were written with into companies, by core name. */
export function groupCompanies(names: string[]): KnownCompany[] {
  const by = new Map<string, Map<string, number>>();
  for (const raw of names) {
    const n = raw.normalize('NFKC').trim();
    if (!n) continue;
    const key = companyKey(n);
    const counts = by.get(key) ?? new Map<string, number>();
    counts.set(n, (counts.get(n) ?? 0) + 1);
    by.set(key, counts);
  }
  return [...by].map(([key, counts]) => {
    const variants = [...counts.keys()];
    const name = [...counts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)[0]![0];
    return { key, name, variants };
  });
}
