import type { Migration } from 'kysely';
import * as createSchema from './20261129T0001_create_schema.ts';
import * as addProgressIndexes from './20261129T0601_add_progress_indexes.ts';
import * as routingLearning from './20261203T1100_routing_learning.ts';
import * as recordChatTypes from './20261203T1210_record_chat_types.ts';
import * as addRetentionIndexes from './20261203T1330_add_retention_indexes.ts';
import * as calendarOverrides from './20261203T1510_calendar_overrides.ts';
import * as botMessageCause from './20261203T1520_bot_message_cause.ts';
import * as afterCoverage from './20261203T1600_after_coverage.ts';
import * as grievanceTallies from './20261204T0200_grievance_tallies.ts';
import * as postgresBaseline from './postgres/20261203T1600_postgres_baseline.ts';
import * as postgresRealTypes from './postgres/20261204T0500_postgres_real_types.ts';
import * as sendBudget from './20261204T0300_send_budget.ts';

/**
 * Every migration, by name; names sort in the order they run. Those up to `BASELINE_COVERS` are SQLite's history
 * (a PostgreSQL database gets them as one baseline); every later one runs on both databases: write it portably
 * (no autoIncrement, blob or SQLite-only SQL; `isPostgres(db)` from src/db/dialect.ts for the rare piece that
 * must differ, e.g. `text collate "C"`).
 */
export const migrations: Record<string, Migration> = {
  '20261129T0001_create_schema': createSchema,
  '20261129T0601_add_progress_indexes': addProgressIndexes,
  '20261203T1100_routing_learning': routingLearning,
  '20261203T1210_record_chat_types': recordChatTypes,
  '20261203T1330_add_retention_indexes': addRetentionIndexes,
  '20261203T1510_calendar_overrides': calendarOverrides,
  '20261203T1520_bot_message_cause': botMessageCause,
  '20261203T1600_after_coverage': afterCoverage,
  '20261204T0200_grievance_tallies': grievanceTallies,
  '20261204T0300_send_budget': sendBudget,
};

/** Migrations PostgreSQL runs and SQLite does not (after the baseline), merged by name into its list. */
const postgresOnly: Record<string, Migration> = {
  '20261204T0500_postgres_real_types': postgresRealTypes,
};

/** The last SQLite migration whose result the PostgreSQL baseline reproduces. */
const BASELINE_COVERS = '20261203T1600_after_coverage';

/** The migrations of one database kind: SQLite's whole list, or PostgreSQL's baseline, the later shared ones and its own (`postgresOnly`), by name. */
export function migrationsFor(dialect: 'sqlite' | 'postgres'): Record<string, Migration> {
  if (dialect === 'sqlite') return migrations;
  const later = Object.entries(migrations).filter(([name]) => name > BASELINE_COVERS);
  const all = [['20261203T1600_postgres_baseline', postgresBaseline] as const, ...later, ...Object.entries(postgresOnly)];
  return Object.fromEntries(all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
