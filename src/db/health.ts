import { sql } from 'kysely';
import type { Db } from './connect.ts';

/** Throws unless the database answers a trivial query (health checks). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
