/** One compound's after-coverage state for its card: 公示 per item, 业委会, the latest assessment and its 奖补. */
import type { Db } from '../db/connect.ts';
import { afterCoverageSettings } from '../campaign/after-coverage.ts';
import type { CampaignInfo } from './campaign.ts';
import { listAssessments, periodLabel } from './assessments.ts';
import { committeeOf, disclosuresOf } from './disclosure.ts';
import { listSubsidies } from './subsidies.ts';

export async function compoundAfterCoverage(db: Db, campaign: CampaignInfo, compoundId: number) {
  const settings = afterCoverageSettings(campaign.definition);
  const disclosures = await disclosuresOf(db, compoundId);
  const latest = (await listAssessments(db, campaign.id, { compoundId })).at(-1) ?? null;
  const kind = latest ? settings.assessment.kinds.find((k) => k.code === latest.kind) : undefined;
  const subsidy = (await listSubsidies(db, campaign.id, settings, { compoundId })).at(-1) ?? null;
  return {
    disclosure: settings.disclosure.items.map((it) => {
      const d = disclosures.get(it.name);
      return { item: it.name, state: d?.state ?? null, onDate: d?.onDate ?? null };
    }),
    committee: await committeeOf(db, compoundId),
    assessment: latest
      ? { label: kind ? periodLabel(kind, latest.period) : latest.period, total: latest.total, maxTotal: latest.maxTotal, passed: latest.passed }
      : null,
    subsidy: subsidy ? { label: subsidy.periodLabel, state: subsidy.state } : null,
  };
}
