import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../migrations/index.ts';
import { importCampaign } from '../../src/domain/campaign-import.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { ROOT } from '../support/child-bot.ts';
import { tempDir } from '../support/wait.ts';

/** DESIGN §4.8: `backup FILE` makes a consistent copy while the bot runs (SQLite online backup). */

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const env = (dbPath: string) => ({ ...process.env, DB_PATH: dbPath, BOT_NOW: '', LOG_LEVEL: 'warn' });

async function freshDatabase(): Promise<string> {
  dir = tempDir('bot-backup-');
  const dbPath = path.join(dir, 'bot.db');
  const { db, close } = openDatabase(dbPath);
  await migrateToLatest(db, migrations);
  await importCampaign(db, loadCampaignFile(undefined), new Date('2020-09-28T01:00:00Z'));
  await close();
  return dbPath;
}

function inspect(file: string) {
  const copy = new SQLite(file, { readonly: true });
  try {
    return {
      integrity: copy.pragma('integrity_check', { simple: true }),
      migrations: (copy.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]).map((r) => r.name),
      compounds: (copy.prepare('SELECT count(*) AS n FROM compounds').get() as { n: number }).n,
      inbox: (copy.prepare('SELECT count(*) AS n FROM inbox_events').get() as { n: number }).n,
      inboxIds: (copy.prepare('SELECT max(id) AS m FROM inbox_events').get() as { m: number | null }).m ?? 0,
    };
  } finally {
    copy.close();
  }
}

describe('coverage-bot backup FILE', () => {
  it('copies the database consistently while another connection keeps writing', async () => {
    const dbPath = await freshDatabase();
    const out = path.join(dir!, 'copies', 'backup.db');
    const writer = new SQLite(dbPath);
    writer.pragma('busy_timeout = 5000');
    const insert = writer.prepare(
      `INSERT INTO inbox_events (event_id, message_id, kind, payload, status, lease_until, received_at, processed_at, response, error)
       VALUES (?, NULL, 'message', '{}', 'new', NULL, ?, NULL, NULL, NULL)`,
    );
    let written = 0;
    const write = () => {
      // Each insert is its own transaction, as the webhook's are.
      for (let i = 0; i < 20; i++) insert.run(`ev_backup_${++written}`, new Date().toISOString());
    };
    write();
    const child = spawn(TSX, ['src/cli.ts', 'backup', out], { cwd: ROOT, env: env(dbPath), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      write();
      await new Promise((r) => setImmediate(r));
    }
    const code = await exited;
    write();
    writer.close();

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`written to ${out}`);
    expect(stdout).toContain('integrity check ok');
    const copy = inspect(out);
    expect(copy.integrity).toBe('ok');
    expect(copy.migrations).toEqual(Object.keys(migrations).sort());
    expect(copy.compounds).toBe(41);
    // One committed state: rows 1..n with no gaps, some of the writes but not the ones after the backup.
    expect(copy.inbox).toBe(copy.inboxIds);
    expect(copy.inbox).toBeGreaterThanOrEqual(20);
    expect(copy.inbox).toBeLessThan(written);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['backup.db']);
  }, 60_000);

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const dbPath = await freshDatabase();
    const out = path.join(dir!, 'existing.db');
    fs.writeFileSync(out, 'keep me');
    const refused = spawnSync(TSX, ['src/cli.ts', 'backup', out], { cwd: ROOT, env: env(dbPath), encoding: 'utf8' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');

    const forced = spawnSync(TSX, ['src/cli.ts', 'backup', out, '--force'], { cwd: ROOT, env: env(dbPath), encoding: 'utf8' });
    expect(forced.status).toBe(0);
    expect(inspect(out).integrity).toBe('ok');
    expect(inspect(out).compounds).toBe(41);

    const missing = spawnSync(TSX, ['src/cli.ts', 'backup', path.join(dir!, 'x.db')], { cwd: ROOT, env: env(path.join(dir!, 'nope.db')), encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('database not found');
    expect(fs.existsSync(path.join(dir!, 'nope.db'))).toBe(false);
  }, 60_000);
});
