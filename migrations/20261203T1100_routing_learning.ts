import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.

/**
 * Routing that learns: the campaign's colloquial phrasings per rule (the classifier's seed data), and how each
 * grievance was routed (rule, classifier, or left to the street with the likeliest departments), with the
 * optional model's suggestion. Confirmed departments come from grievance_events, so nothing else is stored.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('routing_rules').addColumn('phrasings', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema
    .createTable('grievance_routes')
    .addColumn('grievance_id', 'integer', (c) => c.primaryKey().references('grievances.id'))
    .addColumn('method', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('confidence', 'integer', (c) => c.notNull())
    .addColumn('similar_code', 'varchar(16)')
    .addColumn('candidates', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('model_state', 'varchar(16)')
    .addColumn('model_department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('model_reason', 'text')
    .addColumn('model_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // The model consultant claims pending rows; learning reads grievance_events by id.
  await db.schema.createIndex('grievance_routes_model_state').on('grievance_routes').columns(['model_state']).execute();
  await db.schema.createIndex('grievance_events_action').on('grievance_events').columns(['action', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('grievance_events_action').ifExists().execute();
  await db.schema.dropTable('grievance_routes').ifExists().execute();
  await db.schema.alterTable('routing_rules').dropColumn('phrasings').execute();
}
