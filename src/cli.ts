import { ConfigError, loadConfig } from './config.ts';
import { OffsetClock } from './clock.ts';
import { openDatabase } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { migrations } from '../migrations/index.ts';
import { loadCampaignFile } from './campaign/load.ts';
import { importCampaign } from './campaign/import.ts';
import { getActiveCampaign } from './domain/campaign.ts';
import { createWorkCalendar } from './calendar/workdays.ts';
import { loadCalendarOverrides } from './domain/calendar-overrides.ts';
import { isValidDate } from './calendar/dates.ts';
import { renderReportFile } from './report/file.ts';
import fs from 'node:fs';
import { BackupRefused, backupDatabase } from './db/backup.ts';

type Handler = (args: string[]) => Promise<number>;

const USAGE = `用法 / usage:
  coverage-bot migrate                         run database migrations
  coverage-bot campaign import FILE            import (or update) a campaign definition
  coverage-bot report --due YYYY-MM-DD --out FILE   write the 调度表 workbook
  coverage-bot backup FILE [--force]           consistent online copy of the database`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export const cliCommands: Record<string, Handler> = {
  async migrate() {
    const config = loadConfig();
    const { db, close } = openDatabase(config.dbPath);
    const r = await migrateToLatest(db, migrations);
    for (const m of r.results ?? []) process.stdout.write(`${m.migrationName}: ${m.status}\n`);
    if (!r.results?.length) process.stdout.write('database is up to date\n');
    await close();
    return 0;
  },
  async campaign(args) {
    if (args[0] !== 'import' || !args[1]) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    const def = loadCampaignFile(args[1]);
    const { db, close } = openDatabase(config.dbPath);
    await migrateToLatest(db, migrations);
    const clock = new OffsetClock(config.botNow);
    const r = await importCampaign(db, def, clock.now());
    process.stdout.write(r.changed ? `campaign ${def.code} imported (${def.compounds.length} compounds)\n` : `campaign ${def.code} unchanged\n`);
    await close();
    return 0;
  },
  async report(args) {
    const due = option(args, '--due');
    const out = option(args, '--out');
    if ((due !== undefined && !isValidDate(due)) || !out) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    const { db, close } = openDatabase(config.dbPath);
    try {
      await migrateToLatest(db, migrations);
      const clock = new OffsetClock(config.botNow);
      if (!(await db.selectFrom('campaigns').select('id').executeTakeFirst())) {
        await importCampaign(db, loadCampaignFile(config.campaignFile), clock.now());
      }
      const campaign = await getActiveCampaign(db);
      const file = await renderReportFile(db, campaign, createWorkCalendar(undefined, await loadCalendarOverrides(db, campaign)), due ?? null, clock.now());
      fs.writeFileSync(out, file.data);
      process.stdout.write(`${out}: ${file.view.rows.length} compounds, due ${file.view.due} (${file.view.basis})\n`);
    } finally {
      await close();
    }
    return 0;
  },
  async backup(args) {
    const force = args.includes('--force');
    const file = args.find((a) => a !== '--force');
    if (!file || args.some((a) => a.startsWith('--') && a !== '--force')) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const config = loadConfig();
    try {
      const r = await backupDatabase(config.dbPath, file, { force });
      process.stdout.write(`backup of ${config.dbPath} written to ${r.file} (${r.pages} pages, ${Math.ceil(r.bytes / 1024)} KB); integrity check ok\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof BackupRefused)) throw err;
      process.stderr.write(`backup refused: ${err.message}\n`);
      return 1;
    }
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const handler = name ? cliCommands[name] : undefined;
  if (!handler) {
    process.stderr.write(`${USAGE}\n`);
    return name ? 2 : 0;
  }
  try {
    return await handler(rest);
  } catch (err) {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}


if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
