import type { Migration } from 'kysely';
import * as createSchema from './20261129T0001_create_schema.ts';
import * as addProgressIndexes from './20261129T0601_add_progress_indexes.ts';
import * as afterCoverage from './20261203T1600_after_coverage.ts';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '20261129T0001_create_schema': createSchema,
  '20261129T0601_add_progress_indexes': addProgressIndexes,
  '20261203T1600_after_coverage': afterCoverage,
};
