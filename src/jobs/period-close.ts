import { defineJob, type Slot } from '../scheduler/job.ts';
import { reportPeriods, type ReportPeriod } from '../domain/periods.ts';
import { freezePeriod, periodEnd } from '../report/snapshot.ts';

const DAY_MS = 24 * 3600 * 1000;
/** A period closed while the bot was down is still frozen (as of its due day, from history) within this long. */
const LATE_CLOSE_MS = 30 * DAY_MS;

/**
 * Freezes each report period's 调度表 when its effective due day ends, so the table for a past date never
 * changes. Sends nothing. Looks back far enough to close periods missed during a long outage, since the
 * frozen state is rebuilt from history rather than taken from "now".
 */
export default defineJob({
  name: 'period-close',
  slots(ctx, from, to) {
    const earliest = from.getTime() - LATE_CLOSE_MS;
    const out: Slot[] = [];
    for (const p of reportPeriods(ctx.campaign, ctx.calendar)) {
      const at = periodEnd(ctx.campaign, p);
      if (at.getTime() < earliest || at.getTime() > to.getTime()) continue;
      out.push({
        key: `period-close:${ctx.campaign.code}:${p.due}`,
        at,
        lateUntil: new Date(at.getTime() + LATE_CLOSE_MS),
        data: { due: p.due, effectiveDue: p.effectiveDue },
      });
    }
    return out;
  },
  async run(ctx, slot) {
    const period: ReportPeriod = { due: String(slot.data!.due), effectiveDue: String(slot.data!.effectiveDue) };
    const frozen = await freezePeriod(ctx.db, ctx.campaign, period, ctx.now);
    ctx.log.info({ due: period.due, frozen, late: ctx.now.getTime() - slot.at.getTime() > 3600_000 }, 'report period closed');
  },
});
