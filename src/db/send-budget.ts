import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { inTransaction } from './transaction.ts';

/**
 * Lark's send quotas for the whole app, shared by every replica on one PostgreSQL database: before a send's
 * requests leave, it takes stamps (one per quota-counted request) for the app and for its chat, under one
 * transaction-scoped advisory lock, on the database server's clock (the replicas' clocks may differ). The
 * in-memory pacer still paces each process; this keeps the sum of all processes under the quotas.
 */
export interface SharedSendBudget {
  /** Takes `cost` app stamps and one chat stamp if they fit now: 0, else the milliseconds to wait first. */
  take(paceKey: string, cost: number): Promise<number>;
}

/** The quotas (send, reply, PATCH, upload): 5/s per chat, 50/s and 1000/min per app. */
export const SHARED_QUOTAS = { chatPerSecond: 5, appPerSecond: 50, appPerMinute: 1000 } as const;

/**
 * Room for the time between the stamp and the request's arrival at Lark (it leaves a few ms after the stamp,
 * and replicas' network paths differ): each window is counted this much wider.
 */
const MARGIN_MS = 60;
/** How long to wait when a window is full (a few stamps run out of it every few ms at full speed). */
const RETRY_MS = 20;
/** An arbitrary key for pg_advisory_xact_lock: one budget per database. */
const LOCK_KEY = 7_270_015_001;

export function createSharedSendBudget(db: Db, quotas = SHARED_QUOTAS): SharedSendBudget {
  return {
    take: (paceKey, cost) =>
      inTransaction(db, async (trx) => {
        await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
        const r = await sql<{ now_ms: number; app_s: number; app_m: number; chat_s: number }>`
          select n.now_ms,
                 count(*) filter (where s.scope = 'app' and s.at_ms > n.now_ms - ${1000 + MARGIN_MS}) as app_s,
                 count(*) filter (where s.scope = 'app' and s.at_ms > n.now_ms - ${60_000 + MARGIN_MS}) as app_m,
                 count(*) filter (where s.scope = ${`chat:${paceKey}`} and s.at_ms > n.now_ms - ${1000 + MARGIN_MS}) as chat_s
            from (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms) n
            left join send_budget_stamps s on s.at_ms > n.now_ms - ${60_000 + MARGIN_MS}
           group by n.now_ms`.execute(trx);
        const c = r.rows[0]!;
        if (c.app_s + cost > quotas.appPerSecond || c.app_m + cost > quotas.appPerMinute || c.chat_s + 1 > quotas.chatPerSecond) return RETRY_MS;
        const stamps = [...Array.from({ length: cost }, () => ({ scope: 'app', at_ms: c.now_ms })), { scope: `chat:${paceKey}`, at_ms: c.now_ms }];
        await trx.insertInto('send_budget_stamps').values(stamps).execute();
        // Stamps no window can see any more.
        await trx.deleteFrom('send_budget_stamps').where('at_ms', '<', c.now_ms - 2 * 60_000).execute();
        return 0;
      }),
  };
}
