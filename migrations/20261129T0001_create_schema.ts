import { type Kysely, sql } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`CURRENT_TIMESTAMP`;

  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('district', 'varchar(100)', (c) => c.notNull())
    .addColumn('street', 'varchar(100)', (c) => c.notNull())
    .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
    .addColumn('starts_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('ends_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('definition_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('imported_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('communities')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addUniqueConstraint('communities_campaign_name', ['campaign_id', 'name'])
    .execute();

  await db.schema
    .createTable('compounds')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('track', 'varchar(16)', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addColumn('category', 'integer')
    .addColumn('updated_at', 'varchar(32)')
    .addUniqueConstraint('compounds_campaign_name', ['campaign_id', 'name'])
    .execute();

  await db.schema
    .createTable('compound_aliases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('alias', 'varchar(200)', (c) => c.notNull())
    .addUniqueConstraint('compound_aliases_unique', ['compound_id', 'alias'])
    .execute();

  // History is kept: a correction adds a row and stamps the previous one superseded.
  await db.schema
    .createTable('takeovers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('company', 'varchar(200)')
    .addColumn('nature', 'varchar(8)', (c) => c.notNull())
    .addColumn('start_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('manager', 'varchar(100)')
    .addColumn('phone', 'varchar(32)')
    .addColumn('remarks', 'text')
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('recorded_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('source_chat', 'varchar(128)')
    .addColumn('superseded_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('takeovers_compound').on('takeovers').columns(['compound_id', 'superseded_at']).execute();

  await db.schema
    .createTable('upgrade_actions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('state', 'varchar(8)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'varchar(32)')
    .addColumn('updated_by', 'varchar(64)')
    .addColumn('source_kind', 'varchar(16)')
    .addColumn('source_ref', 'varchar(128)')
    .addUniqueConstraint('upgrade_actions_unique', ['compound_id', 'action'])
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('duties', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addUniqueConstraint('departments_campaign_name', ['campaign_id', 'name'])
    .execute();

  await db.schema
    .createTable('routing_rules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('code', 'varchar(64)', (c) => c.notNull())
    .addColumn('topic', 'varchar(100)', (c) => c.notNull())
    .addColumn('department_id', 'integer', (c) => c.notNull().references('departments.id'))
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addUniqueConstraint('routing_rules_campaign_code', ['campaign_id', 'code'])
    .execute();

  await db.schema
    .createTable('grievances')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('code', 'varchar(16)', (c) => c.notNull().unique())
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull().defaultTo('投诉'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('rule_code', 'varchar(64)')
    .addColumn('status', 'varchar(8)', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_chat', 'varchar(128)')
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('accepted_at', 'varchar(32)')
    .addColumn('resolved_at', 'varchar(32)')
    .addColumn('accept_due_at', 'varchar(32)')
    .addColumn('resolve_due_at', 'varchar(32)')
    .addColumn('updated_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('grievances_status').on('grievances').columns(['status']).execute();
  await db.schema.createIndex('grievances_compound').on('grievances').columns(['compound_id']).execute();

  await db.schema
    .createTable('grievance_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('grievance_id', 'integer', (c) => c.notNull().references('grievances.id'))
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(16)', (c) => c.notNull())
    .addColumn('from_status', 'varchar(8)')
    .addColumn('to_status', 'varchar(8)', (c) => c.notNull())
    .addColumn('department_id', 'integer')
    .addColumn('note', 'text')
    .execute();

  // The people of the notice's annexes (a roster, not Lark accounts).
  await db.schema
    .createTable('people')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'varchar(300)', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('people_campaign_name', ['campaign_id', 'name'])
    .execute();

  await db.schema
    .createTable('person_posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id'))
    .addColumn('body', 'varchar(32)', (c) => c.notNull())
    .addColumn('post', 'varchar(32)', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addUniqueConstraint('person_posts_unique', ['person_id', 'body', 'post'])
    .execute();

  // Lark users and the role the bot gives them (one active binding per open_id).
  await db.schema
    .createTable('role_bindings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('open_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(100)')
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('community_id', 'integer', (c) => c.references('communities.id'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('person_id', 'integer', (c) => c.references('people.id'))
    .addColumn('bound_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('bound_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .addColumn('revoked_by', 'varchar(64)')
    .execute();
  await db.schema.createIndex('role_bindings_open_id').on('role_bindings').columns(['open_id', 'revoked_at']).execute();

  await db.schema
    .createTable('bound_chats')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('chat_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('chat_name', 'varchar(200)')
    .addColumn('unit_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('community_id', 'integer', (c) => c.references('communities.id'))
    .addColumn('department_id', 'integer', (c) => c.references('departments.id'))
    .addColumn('bound_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('bound_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('revoked_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('bound_chats_chat').on('bound_chats').columns(['chat_id', 'revoked_at']).execute();

  await db.schema
    .createTable('phases')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('starts_on', 'varchar(10)')
    .addColumn('ends_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deadlines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('code', 'varchar(64)', (c) => c.notNull())
    .addColumn('date', 'varchar(10)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('scope', 'varchar(16)', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addUniqueConstraint('deadlines_campaign_code', ['campaign_id', 'code'])
    .execute();

  await db.schema
    .createTable('report_periods')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('due_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('effective_due_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('closed_at', 'varchar(32)')
    .addColumn('snapshot', 'text')
    .addUniqueConstraint('report_periods_due', ['campaign_id', 'due_date'])
    .execute();

  await db.schema
    .createTable('report_confirmations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('period_id', 'integer', (c) => c.notNull().references('report_periods.id'))
    .addColumn('community_id', 'integer', (c) => c.notNull().references('communities.id'))
    .addColumn('confirmed_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('confirmed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addUniqueConstraint('report_confirmations_unique', ['period_id', 'community_id'])
    .execute();

  // One row per reminder ever due: the unique key is what makes "sent once" hold across restarts and instances.
  await db.schema
    .createTable('reminder_ledger')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reminder_key', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('slot_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('entity', 'varchar(32)', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('chat_id', 'varchar(128)')
    .addColumn('undone_at', 'varchar(32)')
    .addColumn('undo_of', 'integer')
    .execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();
  await db.schema.createIndex('audit_log_entity').on('audit_log').columns(['entity', 'entity_id', 'id']).execute();

  // Card buttons carry a server-issued nonce: a second press or a tampered value finds nothing to consume.
  await db.schema
    .createTable('card_actions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('nonce', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_for', 'varchar(64)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)')
    .addColumn('consumed_at', 'varchar(32)')
    .addColumn('consumed_by', 'varchar(64)')
    .execute();

  // Durable inbox: stored before the 200, processed after it.
  await db.schema
    .createTable('inbox_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_id', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('message_id', 'varchar(128)', (c) => c.unique())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('processed_at', 'varchar(32)')
    .addColumn('response', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('inbox_events_status').on('inbox_events').columns(['status', 'id']).execute();

  // Durable outbox: every outgoing call, with the uuid Lark uses to drop a repeated send.
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('uuid', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('op', 'varchar(16)', (c) => c.notNull())
    .addColumn('target', 'varchar(128)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('pace_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('msg_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('file_name', 'varchar(200)')
    .addColumn('file_data', 'blob')
    .addColumn('file_key', 'varchar(200)')
    .addColumn('cause', 'varchar(200)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .addColumn('result_message_id', 'varchar(128)')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('outbox_messages_status').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();

  // Messages the bot sent, so a reply to one of them in a group counts as addressed to the bot.
  await db.schema
    .createTable('bot_messages')
    .addColumn('message_id', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('chat_id', 'varchar(128)')
    .addColumn('purpose', 'varchar(64)')
    .addColumn('context', 'text')
    .addColumn('sent_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('kv_settings')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull().defaultTo(now))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'kv_settings', 'bot_messages', 'outbox_messages', 'inbox_events', 'card_actions', 'audit_log', 'reminder_ledger',
    'report_confirmations', 'report_periods', 'deadlines', 'phases', 'bound_chats', 'role_bindings', 'person_posts',
    'people', 'grievance_events', 'grievances', 'routing_rules', 'departments', 'upgrade_actions', 'takeovers',
    'compound_aliases', 'compounds', 'communities', 'campaigns',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
