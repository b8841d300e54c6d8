import type { EvalSetReport } from './report.ts';

/** Placeholder until the grievance routing sets land (issue 11). */
export async function evaluateRoutingSets(): Promise<EvalSetReport[]> {
  return [];
}
