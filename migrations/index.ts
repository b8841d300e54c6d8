import type { Migration } from 'kysely';
import * as createSchema from './20261129T0001_create_schema.ts';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '20261129T0001_create_schema': createSchema,
};
