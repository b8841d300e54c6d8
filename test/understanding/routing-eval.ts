/**
 * Grievance routing measured on the corpus with the bot's own pipeline: the real database migrated by the real
 * migrations, the default campaign imported, the compound found by the real matcher, and the router the running
 * bot uses (rules, learnt corrections, classifier, fallback). Nothing here is a copy of the pipeline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { findCompoundCandidates, resolveCompound, type MatchableCompound } from '../../src/understanding/compound-matcher.ts';
import type { RouteDecision } from '../../src/routing/router.ts';
import { type EvalSetReport, count, ratio } from './report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GRIEVANCE_CORPUS_FILE = path.join(here, 'corpus', 'grievances.json');

const corpusSchema = z.array(
  z.strictObject({
    text: z.string().min(4),
    department: z.string().min(2),
    alt: z.array(z.string().min(2)).optional(),
    note: z.string().optional(),
  }),
);
export type GrievanceCase = z.infer<typeof corpusSchema>[number];

export function loadGrievanceCorpus(): GrievanceCase[] {
  return corpusSchema.parse(JSON.parse(fs.readFileSync(GRIEVANCE_CORPUS_FILE, 'utf8')));
}

/** The fixed held-out tenth: every tenth case (the corpus is grouped by department, so it spans them all). */
export function isHeldOut(index: number): boolean {
  return index % 10 === 9;
}

export interface RoutedCase {
  case: GrievanceCase;
  compound: string | null;
  decision: RouteDecision | null;
  /** The routed department is the expected one or an accepted alternative. */
  top1: boolean;
  /** The expected department (or an alternative) is among the three the pipeline thinks likeliest. */
  top3: boolean;
}

/** The three departments the pipeline considers likeliest: where it routed, then the next by the classifier. */
export function likeliest(d: RouteDecision): string[] {
  if (d.method === 'fallback') return [d.departmentName, ...d.candidates.map((c) => c.departmentName)].slice(0, 4);
  return [d.departmentName, ...d.ranked.filter((c) => c.departmentId !== d.departmentId).map((c) => c.departmentName)].slice(0, 3);
}

async function matchable(bot: TestBot): Promise<MatchableCompound[]> {
  const campaign = bot.runtime.deps.campaign;
  return (await listCompounds(bot.db, campaign.id)).map((c) => ({ id: c.id, name: c.name, aliases: c.aliases, community: c.community, communityId: c.communityId }));
}

/** Routes each case as the bot would (without recording it). */
export async function routeCases(bot: TestBot, cases: GrievanceCase[]): Promise<RoutedCase[]> {
  const compounds = await matchable(bot);
  const out: RoutedCase[] = [];
  for (const c of cases) {
    const found = resolveCompound(findCompoundCandidates(c.text, compounds));
    const compound = found.kind === 'one' ? found.candidate.compound : null;
    const decision = await bot.runtime.deps.routing.route(bot.db, c.text, compound ? [compound.name, ...compound.aliases] : []);
    const ok = [c.department, ...(c.alt ?? [])];
    out.push({ case: c, compound: compound?.name ?? null, decision, top1: ok.includes(decision.departmentName), top3: likeliest(decision).some((d) => ok.includes(d)) });
  }
  return out;
}

/**
 * Teaches the bot the cases the way people do: each is recorded with 投诉, then the admin accepts it (受理) when
 * it reached the right department, or reroutes it (转办) to the expected one. Returns how many were taught.
 */
export async function teachThroughBot(bot: TestBot, cases: GrievanceCase[]): Promise<{ taught: number; transferred: number }> {
  let taught = 0;
  let transferred = 0;
  for (const c of cases) {
    const reply = textOf(await bot.say('admin', `投诉 ${c.text}`));
    const code = /已登记诉求 (T\d+)/.exec(reply)?.[1];
    if (!code) continue;
    const row = await bot.db
      .selectFrom('grievances')
      .innerJoin('departments', 'departments.id', 'grievances.department_id')
      .select('departments.name')
      .where('grievances.code', '=', code)
      .executeTakeFirstOrThrow();
    const ok = [c.department, ...(c.alt ?? [])];
    const answer = textOf(await bot.say('admin', ok.includes(row.name) ? `受理 ${code}` : `转办 ${code} ${c.department}`));
    if (!ok.includes(row.name)) transferred++;
    if (/已受理|已将诉求/.test(answer)) taught++;
  }
  return { taught, transferred };
}

function describe(r: RoutedCase): string {
  const d = r.decision;
  const where = d ? `${d.departmentName}（${d.method} ${Math.round(d.confidence * 100)}%：${d.reason}）` : '—';
  return `${r.case.text} → ${where}；应为 ${r.case.department}${r.case.alt ? `（或 ${r.case.alt.join('、')}）` : ''}`;
}

function report(set: string, routed: RoutedCase[]): EvalSetReport {
  const n = routed.length;
  const wrong = routed.filter((r) => !r.top1 && r.decision?.method !== 'fallback').length;
  return {
    set,
    size: n,
    metrics: [
      ratio('routing top-1', routed.filter((r) => r.top1).length, n),
      ratio('routing top-3', routed.filter((r) => r.top3).length, n),
      count('wrong department', wrong),
      count('left to the street to choose', routed.filter((r) => r.decision?.method === 'fallback').length),
      count('compound not found', routed.filter((r) => r.compound === null).length),
    ],
    failures: routed.filter((r) => !r.top1).map(describe),
  };
}

export interface RoutingEvaluation {
  reports: EvalSetReport[];
  all: RoutedCase[];
  heldOut: RoutedCase[];
  heldOutAfterLearning: RoutedCase[];
  taught: { taught: number; transferred: number };
}

/** The three routing sets: the whole corpus, the held-out tenth, and the held-out tenth after learning the rest. */
export async function evaluateRouting(): Promise<RoutingEvaluation> {
  const corpus = loadGrievanceCorpus();
  const heldOutCases = corpus.filter((_, i) => isHeldOut(i));
  const trainCases = corpus.filter((_, i) => !isHeldOut(i));
  const bot = await createTestBot({ now: '2020-10-12T10:00:00+08:00' });
  try {
    const all = await routeCases(bot, corpus);
    const heldOut = all.filter((_, i) => isHeldOut(i));
    const taught = await teachThroughBot(bot, trainCases);
    const heldOutAfterLearning = await routeCases(bot, heldOutCases);
    const afterLearning = report('grievance routing (held out, after learning the rest)', heldOutAfterLearning);
    afterLearning.metrics.push(count('taught (受理 or 转办)', taught.taught), count('of which rerouted (转办)', taught.transferred));
    return {
      reports: [report('grievance routing (all)', all), report('grievance routing (held out)', heldOut), afterLearning],
      all,
      heldOut,
      heldOutAfterLearning,
      taught,
    };
  } finally {
    await bot.stop();
    await bot.close();
  }
}

export async function evaluateRoutingSets(): Promise<EvalSetReport[]> {
  return (await evaluateRouting()).reports;
}
