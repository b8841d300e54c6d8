import type { Db } from '../db/connect.ts';
import { matchKeywordRule } from '../routing/rules.ts';
import type { ConfirmedExample, RouteDecision, RoutingRuleSpec } from '../routing/router.ts';
import { foldForRouting, blankNames } from '../routing/text.ts';

/** One routing rule of the campaign (section 四 of the notice), in priority order, with its phrasings. */
export interface RoutingRule extends RoutingRuleSpec {
  keywords: string[];
  phrasings: string[];
}

export interface RouteTarget {
  departmentId: number;
  departmentName: string;
}

export interface RouteResult extends RouteTarget {
  /** The rule that matched; null when the text went by the classifier or to the fallback department. */
  rule: { code: string; topic: string; keyword: string } | null;
}

/**
 * The keyword stage alone: the rule whose longest matching keyword is the most specific wins; names in `exclude`
 * (the compound's own names, which may contain a keyword such as 联通佳苑) are blanked first. No rule → the
 * fallback department.
 */
export function routeGrievance(
  text: string,
  rules: readonly RoutingRule[],
  fallback: RouteTarget,
  opts: { exclude?: readonly string[] } = {},
): RouteResult {
  const match = matchKeywordRule(blankNames(foldForRouting(text), opts.exclude ?? []), rules, foldForRouting);
  if (!match) return { ...fallback, rule: null };
  return {
    departmentId: match.rule.departmentId,
    departmentName: match.rule.departmentName,
    rule: { code: match.rule.code, topic: match.rule.topic, keyword: match.keyword },
  };
}

/** The campaign's routing rules as imported into routing_rules, in priority order. */
export async function loadRoutingRules(db: Db, campaignId: number): Promise<RoutingRule[]> {
  const rows = await db
    .selectFrom('routing_rules')
    .innerJoin('departments', 'departments.id', 'routing_rules.department_id')
    .select([
      'routing_rules.code', 'routing_rules.topic', 'routing_rules.department_id', 'departments.name', 'routing_rules.keywords',
      'routing_rules.phrasings', 'routing_rules.priority',
    ])
    .where('routing_rules.campaign_id', '=', campaignId)
    .orderBy('routing_rules.priority')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    topic: r.topic,
    departmentId: r.department_id,
    departmentName: r.name,
    keywords: JSON.parse(r.keywords) as string[],
    phrasings: JSON.parse(r.phrasings) as string[],
    priority: r.priority,
  }));
}

/** The department that routes by hand when no rule matches (the campaign's `fallbackDepartment`). */
export async function loadFallbackDepartment(db: Db, campaignId: number, name: string): Promise<RouteTarget> {
  const row = await db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('campaign_id', '=', campaignId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return { departmentId: row.id, departmentName: row.name };
}

/** The grievance events in which a person fixed a grievance's department: it is what routing learns from. */
export const LEARNING_ACTIONS = ['accept', 'transfer', 'route', 'resolve'] as const;

export interface ConfirmedBatch {
  examples: ConfirmedExample[];
  /** The highest event id read (the caller reads on from there next time); null when there was none. */
  lastEventId: number | null;
}

/**
 * Grievances whose department a person confirmed or chose, from the events after `afterEventId`: per grievance
 * only its latest such event counts. With `latest`, only the most recent that many events are read (start-up
 * keeps the model to the recent past on a database with years of history).
 */
export async function loadConfirmedExamples(
  db: Db,
  campaignId: number,
  opts: { afterEventId?: number; latest?: number } = {},
): Promise<ConfirmedBatch> {
  let q = db
    .selectFrom('grievance_events')
    .innerJoin('grievances', 'grievances.id', 'grievance_events.grievance_id')
    .innerJoin('compounds', 'compounds.id', 'grievances.compound_id')
    .select([
      'grievance_events.id as eventId', 'grievance_events.grievance_id as grievanceId', 'grievance_events.department_id as departmentId',
      'grievances.code', 'grievances.text', 'grievances.compound_id as compoundId', 'compounds.name as compound',
    ])
    .where('grievance_events.action', 'in', [...LEARNING_ACTIONS])
    .where('grievance_events.department_id', 'is not', null)
    .where('compounds.campaign_id', '=', campaignId);
  if (opts.afterEventId !== undefined) q = q.where('grievance_events.id', '>', opts.afterEventId);
  const rows = await (opts.latest !== undefined ? q.orderBy('grievance_events.id', 'desc').limit(opts.latest) : q.orderBy('grievance_events.id', 'desc')).execute();
  if (rows.length === 0) return { examples: [], lastEventId: null };

  const compoundIds = [...new Set(rows.map((r) => r.compoundId))];
  const aliases = new Map<number, string[]>();
  for (let i = 0; i < compoundIds.length; i += 500) {
    const chunk = compoundIds.slice(i, i + 500);
    for (const a of await db.selectFrom('compound_aliases').select(['compound_id', 'alias']).where('compound_id', 'in', chunk).execute()) {
      aliases.set(a.compound_id, [...(aliases.get(a.compound_id) ?? []), a.alias]);
    }
  }
  // Newest first: the first event seen for a grievance is the one that counts; return them oldest first.
  const seen = new Set<number>();
  const examples: ConfirmedExample[] = [];
  for (const r of rows) {
    if (seen.has(r.grievanceId)) continue;
    seen.add(r.grievanceId);
    examples.push({
      eventId: r.eventId, grievanceId: r.grievanceId, code: r.code, text: r.text, departmentId: r.departmentId!,
      names: [r.compound, ...(aliases.get(r.compoundId) ?? [])],
    });
  }
  return { examples: examples.reverse(), lastEventId: rows[0]!.eventId };
}

export interface StoredRoute {
  method: string;
  reason: string;
  confidence: number;
  similarCode: string | null;
  candidates: { departmentId: number; confidence: number }[];
  modelState: string | null;
  modelDepartmentId: number | null;
  modelReason: string | null;
}

/** Records how a new grievance was routed (in the transaction that creates it); a pending model ask when unsure. */
export async function saveRouteDecision(db: Db, grievanceId: number, d: RouteDecision, opts: { askModel: boolean; now: Date }): Promise<void> {
  const at = opts.now.toISOString();
  await db
    .insertInto('grievance_routes')
    .values({
      grievance_id: grievanceId, method: d.method, reason: d.reason, confidence: Math.round(d.confidence * 100), similar_code: d.similarCode,
      candidates: JSON.stringify(d.method === 'fallback' ? d.candidates.map((c) => ({ departmentId: c.departmentId, confidence: Math.round(c.confidence * 100) / 100 })) : []),
      model_state: opts.askModel && d.method === 'fallback' ? 'pending' : null, model_department_id: null, model_reason: null,
      created_at: at, updated_at: at,
    })
    .execute();
}

export async function loadRouteDecision(db: Db, grievanceId: number): Promise<StoredRoute | null> {
  const r = await db.selectFrom('grievance_routes').selectAll().where('grievance_id', '=', grievanceId).executeTakeFirst();
  if (!r) return null;
  return {
    method: r.method, reason: r.reason, confidence: r.confidence / 100, similarCode: r.similar_code,
    candidates: JSON.parse(r.candidates) as StoredRoute['candidates'], modelState: r.model_state,
    modelDepartmentId: r.model_department_id, modelReason: r.model_reason,
  };
}

/** A person decided the department: the card says so and no longer offers the likeliest departments. */
export async function markRoutedByPerson(db: Db, grievanceId: number, reason: string, now: Date): Promise<void> {
  await db
    .updateTable('grievance_routes')
    .set({ method: 'person', reason, candidates: '[]', updated_at: now.toISOString() })
    .where('grievance_id', '=', grievanceId)
    .execute();
}

/** Departments with their duties, as the optional model is told them. */
export async function listDepartmentDuties(db: Db, campaignId: number): Promise<{ id: number; name: string; duties: string }[]> {
  return db.selectFrom('departments').select(['id', 'name', 'duties']).where('campaign_id', '=', campaignId).orderBy('ord').execute();
}

/** The next grievance whose unsure routing waits for the model's suggestion. */
export async function nextPendingModelAsk(db: Db): Promise<{ grievanceId: number; attempts: number; candidates: StoredRoute['candidates'] } | null> {
  const r = await db
    .selectFrom('grievance_routes')
    .select(['grievance_id', 'model_attempts', 'candidates'])
    .where('model_state', '=', 'pending')
    .orderBy('grievance_id')
    .limit(1)
    .executeTakeFirst();
  return r ? { grievanceId: r.grievance_id, attempts: r.model_attempts, candidates: JSON.parse(r.candidates) as StoredRoute['candidates'] } : null;
}

/** Counts an attempt before the model is asked, so a question that crashes the process is not asked forever. */
export async function countModelAttempt(db: Db, grievanceId: number, now: Date): Promise<void> {
  await db
    .updateTable('grievance_routes')
    .set((eb) => ({ model_attempts: eb('model_attempts', '+', 1), updated_at: now.toISOString() }))
    .where('grievance_id', '=', grievanceId)
    .where('model_state', '=', 'pending')
    .execute();
}

/** Settles a pending model ask; false when another hand settled it first. */
export async function settleModelAsk(
  db: Db,
  grievanceId: number,
  outcome: { state: 'done' | 'failed' | 'skipped'; departmentId?: number | null; reason?: string | null },
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('grievance_routes')
    .set({ model_state: outcome.state, model_department_id: outcome.departmentId ?? null, model_reason: outcome.reason ?? null, updated_at: now.toISOString() })
    .where('grievance_id', '=', grievanceId)
    .where('model_state', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The topic of a campaign's routing rule, or null if there is no such rule. */
export async function routingRuleTopic(db: Db, campaignId: number, code: string): Promise<string | null> {
  const rule = await db.selectFrom('routing_rules').select('topic').where('campaign_id', '=', campaignId).where('code', '=', code).executeTakeFirst();
  return rule?.topic ?? null;
}
