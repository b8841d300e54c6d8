import { type Kysely, sql } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// Grievance counts per community, status and overdue instant (src/domain/grievance-tallies.ts), so 进度 and 待办
// count millions of grievances from a few thousand rows; and an index for a department's 待办.
const NEVER = '9999-12-31T23:59:59.999Z';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('grievance_tallies')
    .addColumn('community_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('overdue_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('grievance_tallies_pk', ['community_id', 'status', 'overdue_at'])
    .execute();
  const overdueAt = sql`CASE
    WHEN g.status IN ('待受理', '已转办') THEN
      CASE WHEN g.accept_due_at IS NULL THEN COALESCE(g.resolve_due_at, ${sql.lit(NEVER)})
           WHEN g.resolve_due_at IS NULL OR g.accept_due_at < g.resolve_due_at THEN g.accept_due_at
           ELSE g.resolve_due_at END
    WHEN g.status = '处理中' THEN COALESCE(g.resolve_due_at, ${sql.lit(NEVER)})
    ELSE ${sql.lit(NEVER)} END`;
  await sql`INSERT INTO grievance_tallies (community_id, status, overdue_at, n)
    SELECT c.community_id, g.status, ${overdueAt}, COUNT(*) FROM grievances g JOIN compounds c ON c.id = g.compound_id
    GROUP BY c.community_id, g.status, ${overdueAt}`.execute(db);
  await db.schema.createIndex('grievances_department_status').on('grievances').columns(['department_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('grievances_department_status').ifExists().execute();
  await db.schema.dropTable('grievance_tallies').ifExists().execute();
}
