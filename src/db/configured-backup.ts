import type { Dialect } from './dialect.ts';
import { type BackupResult, backupDatabase } from './backup.ts';
import { pgDumpBackup, withoutPassword } from './pg-dump.ts';

/** Where the configured database lives: PostgreSQL when DATABASE_URL is set, else the SQLite file at DB_PATH. */
export interface DatabaseLocation {
  dbPath: string;
  databaseUrl?: string;
}

export function dialectOf(location: DatabaseLocation): Dialect {
  return location.databaseUrl ? 'postgres' : 'sqlite';
}

/**
 * `backup FILE` for whichever engine is configured, without opening the bot's own connection (a missing SQLite
 * file is refused, not created): SQLite's online backup API, or pg_dump for PostgreSQL.
 */
export async function backupConfiguredDatabase(
  location: DatabaseLocation,
  target: string,
  opts: { force?: boolean; pgDump?: string | null } = {},
): Promise<BackupResult & { dialect: Dialect; source: string }> {
  if (location.databaseUrl) {
    const source = withoutPassword(location.databaseUrl).url;
    return { dialect: 'postgres', source, ...(await pgDumpBackup(location.databaseUrl, target, opts)) };
  }
  return { dialect: 'sqlite', source: location.dbPath, ...(await backupDatabase(location.dbPath, target, opts)) };
}
