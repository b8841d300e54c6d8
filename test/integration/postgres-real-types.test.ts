import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildGrievanceTallies } from '../../src/domain/grievance-tallies.ts';
import type { TestBot } from '../support/harness.ts';
import { grievanceBot, grievanceRow } from '../support/grievance-setup.ts';

// PostgreSQL project only: the columns migrations/postgres/20261204T0500_postgres_real_types.ts gave real types
// read back as the code wrote them (src/db/postgres.ts), on a migrated database written through the bot.

const REAL_TYPES: Record<string, string> = {
  'assessments.passed': 'boolean',
  'communities.aliases': 'jsonb',
  'departments.aliases': 'jsonb',
  'routing_rules.keywords': 'jsonb',
  'routing_rules.phrasings': 'jsonb',
  'takeovers.services': 'jsonb',
  'grievance_routes.candidates': 'jsonb',
  'grievances.created_at': 'timestamp with time zone',
  'grievances.accepted_at': 'timestamp with time zone',
  'grievances.resolved_at': 'timestamp with time zone',
  'grievances.accept_due_at': 'timestamp with time zone',
  'grievances.resolve_due_at': 'timestamp with time zone',
  'grievances.updated_at': 'timestamp with time zone',
  'takeovers.recorded_at': 'timestamp with time zone',
  'takeovers.superseded_at': 'timestamp with time zone',
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('real PostgreSQL types read as on SQLite', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await grievanceBot();
  });
  afterAll(async () => {
    await bot?.stop();
    await bot?.close();
  });

  it('gives the converted columns their real types', async () => {
    const rows = await bot.db
      .selectFrom('information_schema.columns' as any)
      .select(['table_name', 'column_name', 'data_type'] as any)
      .where('table_schema' as any, '=', 'public')
      .execute() as { table_name: string; column_name: string; data_type: string }[];
    const actual = Object.fromEntries(
      rows.filter((r) => `${r.table_name}.${r.column_name}` in REAL_TYPES).map((r) => [`${r.table_name}.${r.column_name}`, r.data_type]),
    );
    expect(actual).toEqual(REAL_TYPES);
  });

  it('reads an instant written by the bot as the same ISO text, and compares instants by instant', async () => {
    await bot.say('紫薇员', '锦绣花园3号楼电梯坏了，居民反映多次', { chat: '紫薇群' });
    const g = await grievanceRow(bot, 'T0001');
    expect(g.created_at).toBe(new Date('2020-09-28T10:00:00+08:00').toISOString());
    expect(g.updated_at).toBe(g.created_at);
    expect(g.accept_due_at).toMatch(ISO);
    expect(g.resolve_due_at).toMatch(ISO);
    const stored = await sql<{ t: string }>`select pg_typeof(created_at)::text as t from grievances where id = ${g.id}`.execute(bot.db);
    expect(stored.rows[0]!.t).toBe('timestamp with time zone');
    // Found by the instant, written as the code writes it.
    expect((await bot.db.selectFrom('grievances').select('id').where('created_at', '=', g.created_at).execute()).length).toBe(1);

    // As text '2020-09-28T10:00:00+08:00' sorts after '…T03:00:00.000Z'; as instants it is 02:00Z, before.
    await bot.db.updateTable('grievances').set({ accept_due_at: '2020-09-28T03:00:00.000Z', resolve_due_at: '2020-09-28T10:00:00+08:00' }).where('id', '=', g.id).execute();
    const later = await bot.db.selectFrom('grievances').select(['accept_due_at', 'resolve_due_at'])
      .where('id', '=', g.id).whereRef('accept_due_at', '>', 'resolve_due_at').execute();
    expect(later).toEqual([{ accept_due_at: '2020-09-28T03:00:00.000Z', resolve_due_at: '2020-09-28T02:00:00.000Z' }]);
    await bot.db.updateTable('grievances').set({ accept_due_at: g.accept_due_at, resolve_due_at: g.resolve_due_at }).where('id', '=', g.id).execute();
  });

  it('recounts the grievance tallies with the same ISO keys the writes use', async () => {
    const before = await bot.db.selectFrom('grievance_tallies').selectAll().where('n', '<>', 0).orderBy('community_id').orderBy('status').orderBy('overdue_at').execute();
    expect(before.length).toBeGreaterThan(0);
    for (const t of before) expect(t.overdue_at).toMatch(ISO);
    await rebuildGrievanceTallies(bot.db);
    const after = await bot.db.selectFrom('grievance_tallies').selectAll().orderBy('community_id').orderBy('status').orderBy('overdue_at').execute();
    expect(after).toEqual(before);
  });

  it('reads a boolean as 1/0 and takes 1/0 written as numbers', async () => {
    const campaign = await bot.db.selectFrom('campaigns').select('id').executeTakeFirstOrThrow();
    const base = {
      campaign_id: campaign.id, kind: 'test', period: '2020-09', compound_id: null, company: null, scores: '{}', items: '[]',
      total: 1, max_total: 1, pass_mark: 1, note: null, assessed_at: '2020-09-28T02:00:00.000Z', assessed_by: 'ou_x',
      source_kind: 'test', source_ref: null, source_chat: null, superseded_at: null,
    };
    await bot.db.insertInto('assessments').values([{ ...base, passed: 1 }, { ...base, passed: 0 }]).execute();
    const rows = await bot.db.selectFrom('assessments').select('passed').where('kind', '=', 'test').orderBy('id').execute();
    expect(rows).toEqual([{ passed: 1 }, { passed: 0 }]);
    expect((await bot.db.selectFrom('assessments').select('id').where('kind', '=', 'test').where('passed', '=', 1).execute()).length).toBe(1);
    await bot.db.deleteFrom('assessments').where('kind', '=', 'test').execute();
  });

  it('reads jsonb as JSON text the callers parse', async () => {
    const c = await bot.db.selectFrom('communities').select('aliases').where('name', '=', '紫薇社区').executeTakeFirstOrThrow();
    expect(typeof c.aliases).toBe('string');
    expect(Array.isArray(JSON.parse(c.aliases))).toBe(true);
    const stored = await sql<{ t: string }>`select pg_typeof(aliases)::text as t from communities limit 1`.execute(bot.db);
    expect(stored.rows[0]!.t).toBe('jsonb');
    const r = await bot.db.selectFrom('routing_rules').select(['keywords', 'phrasings']).executeTakeFirstOrThrow();
    expect(JSON.stringify(JSON.parse(r.keywords))).toBe(r.keywords);
    expect(Array.isArray(JSON.parse(r.phrasings))).toBe(true);
  });
});
