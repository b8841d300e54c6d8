import type { EvalSetReport } from './report.ts';

/** Placeholder until the takeover, intent and no-write sets land (issue 11). */
export async function evaluateTakeoverSets(): Promise<EvalSetReport[]> {
  return [];
}
