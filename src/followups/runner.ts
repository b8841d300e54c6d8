import type { Clock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { WorkCalendar } from '../calendar/workdays.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import { enqueueOutgoing } from '../outbox/enqueue.ts';
import { issueCardToken } from '../domain/card-tokens.ts';
import { inTransaction } from '../db/transaction.ts';
import type { RoutingModel } from '../routing/model.ts';
import type { FollowUpContext, FollowUpDefinition } from './followup.ts';

export interface FollowUpRunnerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  campaign: CampaignInfo;
  calendar: WorkCalendar;
  routing: RoutingModel;
  followUps: readonly FollowUpDefinition[];
  /** Called after a round did some work (the runtime sends what it queued). */
  onWork?: () => void;
}

/** Pieces of work one round does at most, so a long backlog yields to the next kick. */
const ROUND = 20;

/** Runs the features' follow-up work one piece at a time, never two rounds at once; kicked after each event. */
export function createFollowUpRunner(deps: FollowUpRunnerDeps) {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const ctx: FollowUpContext = {
    db: deps.db, clock: deps.clock, log: deps.log, campaign: deps.campaign, calendar: deps.calendar, routing: deps.routing,
    transaction(cause, fn) {
      return inTransaction(deps.db, async (trx) => {
        const now = deps.clock.now();
        let seq = 0;
        return fn({
          db: trx, now, campaign: deps.campaign, calendar: deps.calendar, log: deps.log, routing: deps.routing,
          async send(to, content, purpose) {
            const isChat = 'chatId' in to;
            const target = isChat ? to.chatId : to.openId;
            await enqueueOutgoing(trx, { cause, seq: ++seq, op: 'send', target, targetType: isChat ? 'chat_id' : 'open_id', paceKey: target, content, purpose }, now);
          },
          issueCardToken(kind, payload, ttlMs) {
            return issueCardToken(trx, { kind, payload, createdFor: null }, now, ttlMs);
          },
        });
      });
    },
  };

  async function round(): Promise<void> {
    let worked = false;
    for (const f of deps.followUps) {
      for (let i = 0; i < ROUND && !stopped; i++) {
        try {
          if (!(await f.runOnce(ctx))) break;
          worked = true;
        } catch (err) {
          deps.log.error({ err, followUp: f.name }, 'follow-up failed; it is retried on the next kick');
          break;
        }
      }
    }
    if (worked) deps.onWork?.();
  }

  function kick(): Promise<void> {
    if (stopped || deps.followUps.length === 0) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    kick,
    /** Runs until nothing is pending (tests, local mode). */
    async drain(): Promise<void> {
      await kick();
      while (running) await running;
    },
    async stop(): Promise<void> {
      stopped = true;
      if (running) await running;
    },
  };
}
