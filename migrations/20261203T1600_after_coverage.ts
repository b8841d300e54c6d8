import type { Kysely } from 'kysely';

// Frozen once landed: add a new migration instead of editing this one.
// After coverage: assessments, 奖补, the companies' bad-behaviour records, 公示 and 业委会 per compound.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per score sheet; a re-assessment adds a row and stamps the previous one superseded (history kept).
  // `items` is the standard as it was used, so a later change of the standard does not rewrite old results.
  await db.schema
    .createTable('assessments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('period', 'varchar(16)', (c) => c.notNull())
    .addColumn('compound_id', 'integer', (c) => c.references('compounds.id'))
    .addColumn('company', 'varchar(200)')
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('total', 'real', (c) => c.notNull())
    .addColumn('max_total', 'real', (c) => c.notNull())
    .addColumn('pass_mark', 'real', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('assessed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('assessed_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('source_chat', 'varchar(128)')
    .addColumn('superseded_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('assessments_period').on('assessments').columns(['campaign_id', 'kind', 'period', 'superseded_at', 'compound_id']).execute();
  await db.schema.createIndex('assessments_compound').on('assessments').columns(['compound_id', 'superseded_at']).execute();

  // 奖补 of one compound for one assessment period; 待申报 is not stored (an eligible compound without a row).
  await db.schema
    .createTable('subsidies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('period', 'varchar(16)', (c) => c.notNull())
    .addColumn('state', 'varchar(8)', (c) => c.notNull())
    // Amounts in 分 (hundredths of a yuan), so that sums are exact.
    .addColumn('requested_fen', 'integer')
    .addColumn('approved_fen', 'integer')
    .addColumn('paid_fen', 'integer')
    .addColumn('applied_on', 'varchar(10)')
    .addColumn('applied_by', 'varchar(64)')
    .addColumn('reviewed_on', 'varchar(10)')
    .addColumn('reviewed_by', 'varchar(64)')
    .addColumn('paid_on', 'varchar(10)')
    .addColumn('paid_by', 'varchar(64)')
    .addColumn('note', 'text')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addUniqueConstraint('subsidies_compound_period', ['compound_id', 'period'])
    .execute();
  await db.schema.createIndex('subsidies_campaign_state').on('subsidies').columns(['campaign_id', 'state', 'compound_id']).execute();

  // A property company's bad-behaviour records (不良行为记录), part of its credit file; withdrawn, never deleted.
  await db.schema
    .createTable('company_records')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('company', 'varchar(200)', (c) => c.notNull())
    .addColumn('company_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('compound_id', 'integer', (c) => c.references('compounds.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('recorded_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('source_chat', 'varchar(128)')
    .addColumn('withdrawn_at', 'varchar(32)')
    .addColumn('withdrawn_by', 'varchar(64)')
    .execute();
  await db.schema.createIndex('company_records_company').on('company_records').columns(['campaign_id', 'company_key', 'withdrawn_at']).execute();
  await db.schema.createIndex('company_records_recorded').on('company_records').columns(['campaign_id', 'recorded_at']).execute();

  // 公示 of one item (服务内容, 收费, …) at one compound.
  await db.schema
    .createTable('compound_disclosures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('compound_id', 'integer', (c) => c.notNull().references('compounds.id'))
    .addColumn('item', 'varchar(32)', (c) => c.notNull())
    .addColumn('state', 'varchar(8)', (c) => c.notNull())
    .addColumn('on_date', 'varchar(10)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('source_chat', 'varchar(128)')
    .addUniqueConstraint('compound_disclosures_item', ['compound_id', 'item'])
    .execute();
  await db.schema.createIndex('compound_disclosures_state').on('compound_disclosures').columns(['state', 'item', 'compound_id']).execute();

  // The owners' committee (业委会) of a compound: 未成立 / 筹备中 / 已成立 / 已备案.
  await db.schema
    .createTable('compound_committees')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('compound_id', 'integer', (c) => c.notNull().unique().references('compounds.id'))
    .addColumn('state', 'varchar(8)', (c) => c.notNull())
    .addColumn('on_date', 'varchar(10)')
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_ref', 'varchar(128)')
    .addColumn('source_chat', 'varchar(128)')
    .execute();
  await db.schema.createIndex('compound_committees_state').on('compound_committees').columns(['state', 'compound_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('compound_committees').ifExists().execute();
  await db.schema.dropTable('compound_disclosures').ifExists().execute();
  await db.schema.dropTable('company_records').ifExists().execute();
  await db.schema.dropTable('subsidies').ifExists().execute();
  await db.schema.dropTable('assessments').ifExists().execute();
}
