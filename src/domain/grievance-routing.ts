import type { Db } from '../db/connect.ts';

/** One routing rule of the campaign (section 四 of the notice), in priority order. */
export interface RoutingRule {
  code: string;
  topic: string;
  departmentId: number;
  departmentName: string;
  keywords: string[];
  priority: number;
}

export interface RouteTarget {
  departmentId: number;
  departmentName: string;
}

export interface RouteResult extends RouteTarget {
  /** The rule that matched; null when the text went to the fallback department. */
  rule: { code: string; topic: string; keyword: string } | null;
}

/** Folds full-width forms and case, and drops spaces, so keywords match however the text was typed. */
function fold(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/g, '');
}

/**
 * Routes a grievance text to a department. The rule whose longest matching keyword is the most specific
 * (longest) wins, so "消防通道" beats "消防" and "停车费" beats "停车"; equal lengths fall back to the rules'
 * priority (their order in the campaign). Names in `exclude` (the compound's own names, which may contain a
 * keyword such as 联通佳苑) are blanked first. No rule → the fallback department.
 */
export function routeGrievance(
  text: string,
  rules: readonly RoutingRule[],
  fallback: RouteTarget,
  opts: { exclude?: readonly string[] } = {},
): RouteResult {
  let t = fold(text);
  const exclude = (opts.exclude ?? []).map(fold).filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);
  for (const name of exclude) t = t.split(name).join('|');
  let best: { rule: RoutingRule; keyword: string } | null = null;
  for (const rule of rules) {
    for (const keyword of rule.keywords) {
      const k = fold(keyword);
      if (!k || !t.includes(k)) continue;
      const better =
        !best ||
        k.length > fold(best.keyword).length ||
        (k.length === fold(best.keyword).length && rule.priority < best.rule.priority);
      if (better) best = { rule, keyword };
    }
  }
  if (!best) return { ...fallback, rule: null };
  return {
    departmentId: best.rule.departmentId,
    departmentName: best.rule.departmentName,
    rule: { code: best.rule.code, topic: best.rule.topic, keyword: best.keyword },
  };
}

/** The campaign's routing rules as imported into routing_rules, in priority order. */
export async function loadRoutingRules(db: Db, campaignId: number): Promise<RoutingRule[]> {
  const rows = await db
    .selectFrom('routing_rules')
    .innerJoin('departments', 'departments.id', 'routing_rules.department_id')
    .select(['routing_rules.code', 'routing_rules.topic', 'routing_rules.department_id', 'departments.name', 'routing_rules.keywords', 'routing_rules.priority'])
    .where('routing_rules.campaign_id', '=', campaignId)
    .orderBy('routing_rules.priority')
    .execute();
  return rows.map((r) => ({
    code: r.code,
    topic: r.topic,
    departmentId: r.department_id,
    departmentName: r.name,
    keywords: JSON.parse(r.keywords) as string[],
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
