import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openPostgresDatabase } from '../../src/db/postgres.ts';
import { importCampaign } from '../../src/domain/campaign-import.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { pgDumpAdvice } from '../../src/db/pg-dump.ts';
import { migrationsFor } from '../../migrations/index.ts';
import { ROOT } from '../support/child-bot.ts';
import { createEmptyDatabase, dropDatabase, giveBackTestDatabase, takeTestDatabase, urlOfDatabase } from '../support/pg-databases.ts';
import { tempDir } from '../support/wait.ts';

// PostgreSQL project only. DESIGN §4.8 on PostgreSQL: `coverage-bot backup FILE` makes a consistent copy while
// another connection keeps writing (pg_dump reads one snapshot), and the copy restores with pg_restore.

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** The pg_dump of the server's major version (an older or newer one refuses to dump it), or null. */
function pgDumpFor(serverMajor: number): string | null {
  const candidates = [`/usr/lib/postgresql/${serverMajor}/bin/pg_dump`, 'pg_dump'];
  for (const bin of candidates) {
    try {
      const version = execFileSync(bin, ['--version'], { encoding: 'utf8' });
      if (Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1]) === serverMajor) return bin;
    } catch {
      // not installed here
    }
  }
  return null;
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('coverage-bot backup FILE on PostgreSQL', () => {
  it('dumps one consistent snapshot while another connection writes, and the dump restores', async () => {
    const adminUrl = inject('pgAdminUrl');
    const name = await takeTestDatabase(adminUrl);
    const url = urlOfDatabase(adminUrl, name);
    const dir = tempDir('bot-pgbackup-');
    const database = openPostgresDatabase(url, { max: 2 });
    cleanup.push(async () => {
      await database.close();
      await giveBackTestDatabase(adminUrl, name);
      fs.rmSync(dir, { recursive: true, force: true });
    });
    await importCampaign(database.db, loadCampaignFile(undefined), new Date('2020-09-28T01:00:00Z'));
    const [version] = await query<{ server_version_num: string }>(url, 'show server_version_num');
    const pgDump = pgDumpFor(Math.floor(Number(version!.server_version_num) / 10_000));
    const out = path.join(dir, 'copies', 'coverage.dump');
    // Without a matching pg_dump, a PATH that has node and nothing else (Debian puts pg_dump beside node).
    const nodeOnly = path.join(dir, 'bin');
    fs.mkdirSync(nodeOnly);
    fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));

    let written = 0;
    const write = async () => {
      // Each insert its own transaction, as the webhook's are.
      for (let i = 0; i < 10; i++) {
        await database.db
          .insertInto('inbox_events')
          .values({ event_id: `ev_pgbackup_${++written}`, message_id: null, kind: 'message', payload: '{}', status: 'new', lease_until: null, received_at: new Date().toISOString(), processed_at: null, response: null, error: null })
          .execute();
      }
    };
    await write();
    const child = spawn(TSX, ['src/cli.ts', 'backup', out], {
      cwd: ROOT,
      // The dump tool of the server's version first on PATH, as an operator's machine would have it.
      env: { ...process.env, DATABASE_URL: url, BOT_NOW: '', LOG_LEVEL: 'warn', PATH: pgDump ? `${path.dirname(pgDump)}:${process.env.PATH}` : nodeOnly },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let done = false;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
      done = true;
      resolve(code);
    }));
    while (!done) await write();
    const code = await exited;
    await write();

    if (!pgDump) {
      // No pg_dump of this server's version here (e.g. the embedded server): the bot says how, and writes nothing.
      expect(code).toBe(1);
      expect(stderr).toContain(pgDumpAdvice(url, out).split('\n')[0]!);
      expect(fs.existsSync(out)).toBe(false);
      return;
    }
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`written to ${out}`);
    expect(stdout).toContain('pg_dump custom format');
    expect(fs.readdirSync(path.dirname(out))).toEqual(['coverage.dump']);

    const restoredName = await createEmptyDatabase(adminUrl, 'coverage_bot_restored');
    cleanup.push(() => dropDatabase(adminUrl, restoredName));
    const restoredUrl = urlOfDatabase(adminUrl, restoredName);
    execFileSync(path.join(path.dirname(pgDump), 'pg_restore'), ['--no-owner', '--exit-on-error', '--dbname', restoredUrl, out], { stdio: 'pipe' });
    const [copy] = await query<{ compounds: number; inbox: number; max_id: number; migrations: number }>(
      restoredUrl,
      `select (select count(*)::int from compounds) as compounds, (select count(*)::int from inbox_events) as inbox,
              (select coalesce(max(id), 0)::int from inbox_events) as max_id, (select count(*)::int from kysely_migration) as migrations`,
    );
    expect(copy!.compounds).toBe(41);
    expect(copy!.migrations).toBe(Object.keys(migrationsFor('postgres')).length);
    // One committed state: rows 1..n with no gaps, some of the writes but not those after the dump's snapshot.
    expect(copy!.inbox).toBe(copy!.max_id);
    expect(copy!.inbox).toBeGreaterThanOrEqual(10);
    expect(copy!.inbox).toBeLessThan(written);
  }, 60_000);
});
