/**
 * Reads what `考核` names: the subject (a compound, or the street), the kind of assessment, the period, and any
 * scores typed in the message (合同履约18 …, or one number per item in the standard's order), plus a 备注.
 */
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import type { AssessmentKind } from '../../src/campaign/after-coverage-schema.ts';
import { findQuarter, quarterLabel, quarterOf } from '../../src/calendar/quarters.ts';
import { parseScore } from '../../src/domain/assessments.ts';
import type { MatchableCompound } from '../../src/understanding/compound-matcher.ts';
import { resolveNamedCompound } from '../takeover-kit/resolve.ts';
import { namesStreet, settingsOf, todayOf } from './common.ts';

export interface AssessmentTarget {
  kind: AssessmentKind;
  period: string;
  /** Null: the street. */
  compound: MatchableCompound | null;
  /** Scores read from the message, by item code. */
  scores: Record<string, number>;
  note: string | null;
  /** What the message said that could not be used. */
  notes: string[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Takes the scores and note out of the text; returns what is left (the subject). */
function takeScores(text: string, kinds: AssessmentKind[], notes: string[]): { rest: string; named: Map<string, string>; bare: string[]; note: string | null } {
  let rest = text;
  let note: string | null = null;
  const noteAt = /(?:^|\s)备注\s*[:：]?\s*/.exec(rest);
  if (noteAt) {
    note = rest.slice(noteAt.index + noteAt[0].length).trim().slice(0, 500) || null;
    rest = rest.slice(0, noteAt.index);
  }
  const named = new Map<string, string>();
  const names = [...new Set(kinds.flatMap((k) => k.items.map((i) => i.name)))].sort((a, b) => b.length - a.length);
  for (const n of names) {
    const re = new RegExp(`${escape(n)}\\s*[:：]?\\s*(\\d+(?:\\.\\d+)?)\\s*分?`, 'g');
    rest = rest.replace(re, (_m, v: string) => {
      named.set(n, v);
      return ' ';
    });
  }
  const words = rest.split(/\s+/).filter(Boolean);
  const bare: string[] = [];
  const kept: string[] = [];
  for (const w of words) {
    if (/^\d+(?:\.\d+)?分?$/.test(w) && kept.length) bare.push(w);
    else if (bare.length) notes.push(`分数之后的“${w.slice(0, 10)}”没有看懂，已忽略`);
    else kept.push(w);
  }
  return { rest: kept.join(' '), named, bare, note };
}

export async function resolveAssessmentTarget(ctx: BotContext, text: string): Promise<AssessmentTarget> {
  const settings = settingsOf(ctx);
  const today = todayOf(ctx);
  const notes: string[] = [];
  let rest = text.normalize('NFKC').replace(/[\s\u3000]+/g, ' ').trim();

  const q = findQuarter(rest, today);
  if (q?.problem) throw new UserError(`${q.problem}，不能考核。`);
  if (q) rest = rest.replace(q.raw, ' ');

  let kinds = settings.assessment.kinds;
  const named = kinds.filter((k) => rest.includes(k.name));
  if (named.length === 1) {
    kinds = named;
    rest = rest.replace(named[0]!.name, ' ');
  }
  const taken = takeScores(rest, kinds, notes);
  rest = taken.rest.trim();
  if (!rest) throw new UserError('请写明考核的小区（或“街道”）。');

  const street = namesStreet(rest, ctx.campaign.street);
  const candidates = kinds.filter((k) => k.subject === (street ? 'street' : 'compound'));
  if (!candidates.length) {
    if (named.length === 1) throw new UserError(`${named[0]!.name}是对${named[0]!.subject === 'street' ? '街道' : '小区'}的考核，${named[0]!.subject === 'street' ? '请发送“考核 街道”' : '请写明小区'}。`);
    throw new UserError(street ? '本次活动没有对街道的考核。' : `本次活动的考核只针对街道，请发送“考核 街道”。`);
  }
  if (candidates.length > 1) {
    throw new UserError(`请写明考核类型：${candidates.map((k) => k.name).join('、')}。例如：考核 ${rest} ${candidates[0]!.name}`);
  }
  const kind = candidates[0]!;
  let period = 'once';
  if (kind.period === 'quarter') {
    period = q?.quarter ?? quarterOf(today);
    const first = quarterOf(ctx.campaign.startsOn);
    if (period < first) throw new UserError(`${quarterLabel(period)}早于本次活动（${quarterLabel(first)}开始），不能考核。`);
  } else if (q?.quarter) {
    notes.push(`${kind.name}不分季度，已忽略“${q.raw}”`);
  }
  const compound = street ? null : await resolveNamedCompound(ctx, rest);

  const scores: Record<string, number> = {};
  const readScore = (code: string, name: string, max: number, raw: string) => {
    const r = parseScore(raw, max);
    if (r.score === null) notes.push(`${name}：${r.problem}，请在表单中填写`);
    else scores[code] = r.score;
  };
  for (const it of kind.items) {
    const raw = taken.named.get(it.name);
    if (raw !== undefined) readScore(it.code, it.name, it.max, raw);
  }
  if (taken.bare.length) {
    if (taken.named.size) notes.push('逐项分数与不带项目名的分数不能混写，不带项目名的分数已忽略');
    else if (taken.bare.length !== kind.items.length) {
      notes.push(`写了 ${taken.bare.length} 个分数，考核标准有 ${kind.items.length} 项，请在表单中逐项填写`);
    } else kind.items.forEach((it, i) => readScore(it.code, it.name, it.max, taken.bare[i]!));
  }
  return { kind, period, compound, scores, note: taken.note, notes };
}
