import { defineJob, type Slot } from '../scheduler/job.ts';
import { addDays, localDate, zonedInstant } from '../calendar/dates.ts';
import { retentionSchema, type RetentionPolicy } from '../campaign/schema.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { type PruneCounts, pruneBatch, pruneCutoffs } from '../domain/retention.ts';
import { noteSlot } from '../db/ledger-store.ts';

const KIND = 'retention';
/** Rows per table per transaction: each batch holds the database for milliseconds, not seconds. */
export const PRUNE_BATCH = 2000;
/** Batches per run; a large backlog (the first run on an old database) is worked off over the next days. */
const MAX_BATCHES = 250;

/** The campaign's retention settings; a campaign imported before they existed gets the defaults. */
export function retentionPolicy(campaign: CampaignInfo): RetentionPolicy {
  return retentionSchema.parse(campaign.definition.retention ?? {});
}

/**
 * Prunes handled inbox events (they hold decrypted message texts), finished outbox messages and used or expired
 * card tokens once a day at the campaign's retention time. Only the latest slot is ever offered: a day missed
 * while the bot was down is simply covered by the next run.
 */
export const retentionJob = defineJob({
  name: KIND,
  slots(ctx, _from, to): Slot[] {
    const tz = ctx.campaign.timezone;
    const { time } = retentionPolicy(ctx.campaign);
    let day = localDate(to, tz);
    let at = zonedInstant(day, time, tz);
    if (at > to) {
      day = addDays(day, -1);
      at = zonedInstant(day, time, tz);
    }
    return [{ key: `${KIND}:${day}`, at, lateUntil: zonedInstant(addDays(day, 1), time, tz), data: { day } }];
  },
  // The ledger row is the slot's record; the pruning itself runs in short batches afterwards.
  async run() {},
  async afterRun(ctx, slot) {
    const cutoffs = pruneCutoffs(retentionPolicy(ctx.campaign), ctx.now);
    const total: PruneCounts = { inbox: 0, outbox: 0, cardTokens: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await pruneBatch(ctx.db, cutoffs, PRUNE_BATCH);
      total.inbox += n.inbox;
      total.outbox += n.outbox;
      total.cardTokens += n.cardTokens;
      if (n.inbox < PRUNE_BATCH && n.outbox < PRUNE_BATCH && n.cardTokens < PRUNE_BATCH) break;
      // Let webhook requests and the workers in between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await noteSlot(ctx.db, slot.key, { detail: JSON.stringify(total) });
    ctx.log.info({ ...total, cutoffs }, 'retention: handled rows pruned');
  },
});
