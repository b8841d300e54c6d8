/** Stage one of routing: the campaign's keyword rules (section 四 of the notice), literal and explainable. */

export interface KeywordRule {
  code: string;
  topic: string;
  departmentId: number;
  departmentName: string;
  keywords: readonly string[];
  /** Position in the campaign; breaks ties between keywords of equal length. */
  priority: number;
}

export interface RuleMatch<R extends KeywordRule = KeywordRule> {
  rule: R;
  keyword: string;
}

/**
 * The rule whose matching keyword is the most specific (longest) wins, so "消防通道" beats "消防" and "停车费"
 * beats "停车"; equal lengths fall back to the rules' priority. `text` is already folded and has names blanked.
 */
export function matchKeywordRule<R extends KeywordRule>(text: string, rules: readonly R[], fold: (s: string) => string): RuleMatch<R> | null {
  let best: { rule: R; keyword: string; length: number } | null = null;
  for (const rule of rules) {
    for (const keyword of rule.keywords) {
      const k = fold(keyword);
      if (!k || !text.includes(k)) continue;
      if (!best || k.length > best.length || (k.length === best.length && rule.priority < best.rule.priority)) best = { rule, keyword, length: k.length };
    }
  }
  return best ? { rule: best.rule, keyword: best.keyword } : null;
}
