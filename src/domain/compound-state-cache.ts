import type { Db } from '../db/connect.ts';
import { rootDatabase } from '../db/transaction.ts';

/**
 * Aggregates over the compounds and what is recorded about them (takeovers, categories, upgrade actions, 公示, 业委会,
 * assessments, 奖补) change only through audited writes, and a takeover is always a new row; grievances never change
 * them. So such an aggregate is kept per database and reused while the newest audit row that is not about a
 * grievance and the newest takeover stay the same: 进度 after a new grievance recomputes only the grievance tallies.
 * The version is read through the caller's handle (a transaction sees its own writes), so a change made through
 * another replica is seen at once. It names those rows by id, time and source, so a rolled-back row whose id is
 * later reused (SQLite) cannot pass for the committed one.
 */
const caches = new WeakMap<Db, Map<string, unknown>>();
const MAX_ENTRIES = 256;

/** The version of compound state: changes with every audited change to it (not with grievances). */
async function compoundStateHead(db: Db): Promise<string> {
  // Newest first along the primary key, stopping at the first row not about a grievance: a few rows in practice.
  const audit = await db.selectFrom('audit_log').select(['id', 'at', 'source_ref']).where('entity', '<>', 'grievance').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const takeover = await db.selectFrom('takeovers').select(['id', 'recorded_at']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return JSON.stringify([audit?.id ?? 0, audit?.at, audit?.source_ref, takeover?.id ?? 0, takeover?.recorded_at]);
}

/**
 * `compute()`'s result for `key` (which must name everything else it depends on: campaign, scope, day), computed
 * again only when compound state has changed. Callers get their own copy.
 */
export async function onCompoundState<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const head = await compoundStateHead(db);
  const root = rootDatabase(db);
  let cache = caches.get(root);
  if (!cache) caches.set(root, (cache = new Map()));
  const full = `${key}#${head}`;
  if (cache.has(full)) return structuredClone(cache.get(full) as T);
  const value = await compute();
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(full, value);
  return structuredClone(value);
}
