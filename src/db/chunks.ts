/**
 * SQLite refuses a statement with more than 32,766 bound values, and PostgreSQL with more than 65,535: a lookup by
 * a list of ids of unbounded length runs in chunks of this size (or, better, as a join or subquery).
 */
export const ID_CHUNK = 5000;

/** Runs `query` once per chunk of `ids` (deduplicated) and concatenates the rows. */
export async function inChunks<T, R>(ids: Iterable<T>, query: (chunk: T[]) => Promise<R[]>, size = ID_CHUNK): Promise<R[]> {
  const all = [...new Set(ids)];
  const out: R[] = [];
  for (let i = 0; i < all.length; i += size) out.push(...(await query(all.slice(i, i + size))));
  return out;
}
