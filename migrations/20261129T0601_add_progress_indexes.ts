import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// Covering indexes for the 进度 aggregates, so they read index entries rather than whole rows at city scale.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('grievances_progress')
    .on('grievances')
    .columns(['compound_id', 'status', 'accept_due_at', 'resolve_due_at'])
    .execute();
  await db.schema.createIndex('upgrade_actions_state').on('upgrade_actions').columns(['compound_id', 'state', 'action']).execute();
  await db.schema.createIndex('compounds_campaign_track').on('compounds').columns(['campaign_id', 'track', 'community_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('compounds_campaign_track').ifExists().execute();
  await db.schema.dropIndex('upgrade_actions_state').ifExists().execute();
  await db.schema.dropIndex('grievances_progress').ifExists().execute();
}
