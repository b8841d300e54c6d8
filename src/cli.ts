import { ConfigError, loadConfig } from './config.ts';
import { OffsetClock } from './clock.ts';
import { migrationsOf, openConfiguredDatabase } from './db/open-configured.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadCampaignFile } from './campaign/load.ts';
import { importCampaign } from './domain/campaign-import.ts';
import { getActiveCampaign, hasCampaign } from './domain/campaign.ts';
import { createWorkCalendar } from './calendar/workdays.ts';
import { loadCalendarOverrides } from './domain/calendar-overrides.ts';
import { isValidDate } from './calendar/dates.ts';
import { renderReportFile } from './report/file.ts';
import { BackupRefused } from './db/backup.ts';
import { backupConfiguredDatabase } from './db/configured-backup.ts';
import { checkOutputFile, OutputRefused, writeFileAtomic } from './fs/output-file.ts';
import { checkReportDue } from './report/due.ts';

/** Where a CLI command reads its environment and writes its output (the process, or a test). */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

const processIo: CliIo = {
  get env() {
    return process.env;
  },
  stdout: process.stdout,
  stderr: process.stderr,
};

type Handler = (args: string[], io?: CliIo) => Promise<number>;

const USAGE = `用法 / usage:
  coverage-bot migrate                         run database migrations
  coverage-bot campaign import FILE            import (or update) a campaign definition
  coverage-bot report [--due YYYY-MM-DD] --out FILE [--force]   write the 调度表 workbook
  coverage-bot backup FILE [--force]           consistent online copy of the database`;

/** `--name value` options and bare flags; null when an argument is unknown, repeated or lacks its value. */
function parseOptions(args: string[], valued: string[], flags: string[]): { values: Record<string, string>; flags: Set<string> } | null {
  const values: Record<string, string> = {};
  const set = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valued.includes(a)) {
      const v = args[i + 1];
      if (v === undefined || v.startsWith('--') || a in values) return null;
      values[a] = v;
      i++;
    } else if (flags.includes(a)) {
      set.add(a);
    } else {
      return null;
    }
  }
  return { values, flags: set };
}

export const cliCommands: Record<string, Handler> = {
  async migrate(_args, io = processIo) {
    const config = loadConfig(io.env);
    const { db, close } = openConfiguredDatabase(config);
    const r = await migrateToLatest(db, migrationsOf(db));
    for (const m of r.results ?? []) io.stdout.write(`${m.migrationName}: ${m.status}\n`);
    if (!r.results?.length) io.stdout.write('database is up to date\n');
    await close();
    return 0;
  },
  async campaign(args, io = processIo) {
    if (args[0] !== 'import' || !args[1] || args.length > 2) {
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const config = loadConfig(io.env);
    const def = loadCampaignFile(args[1]);
    const { db, close } = openConfiguredDatabase(config);
    await migrateToLatest(db, migrationsOf(db));
    const clock = new OffsetClock(config.botNow);
    const r = await importCampaign(db, def, clock.now());
    io.stdout.write(r.changed ? `campaign ${def.code} imported (${def.compounds.length} compounds)\n` : `campaign ${def.code} unchanged\n`);
    await close();
    return 0;
  },
  async report(args, io = processIo) {
    const opts = parseOptions(args, ['--due', '--out'], ['--force']);
    const out = opts?.values['--out'];
    if (!opts || !out) {
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const due = opts.values['--due'];
    if (due !== undefined && !isValidDate(due)) {
      io.stderr.write(`report refused: --due ${due.slice(0, 40)} is not a real date as YYYY-MM-DD\n`);
      return 2;
    }
    const config = loadConfig(io.env);
    let dest: string;
    try {
      // Checked before the database is opened: the workbook must never replace it, or anything through a link.
      dest = checkOutputFile(out, { force: opts.flags.has('--force'), protect: [config.dbPath] });
    } catch (err) {
      if (!(err instanceof OutputRefused)) throw err;
      io.stderr.write(`report refused: ${err.message}\n`);
      return 1;
    }
    const { db, close } = openConfiguredDatabase(config);
    try {
      await migrateToLatest(db, migrationsOf(db));
      const clock = new OffsetClock(config.botNow);
      if (!(await hasCampaign(db))) {
        await importCampaign(db, loadCampaignFile(config.campaignFile), clock.now());
      }
      const campaign = await getActiveCampaign(db);
      const calendar = createWorkCalendar(undefined, await loadCalendarOverrides(db, campaign));
      if (due !== undefined) {
        const check = checkReportDue(campaign, calendar, due);
        if (!check.ok) {
          io.stderr.write(`report refused: ${check.message}\n`);
          return 2;
        }
      }
      const file = await renderReportFile(db, campaign, calendar, due ?? null, clock.now());
      writeFileAtomic(dest, file.data);
      io.stdout.write(`${out}: ${file.view.rows.length} compounds, due ${file.view.due} (${file.view.basis})\n`);
    } finally {
      await close();
    }
    return 0;
  },
  async backup(args, io = processIo) {
    const force = args.includes('--force');
    const files = args.filter((a) => a !== '--force');
    const file = files[0];
    if (!file || files.length > 1 || args.some((a) => a.startsWith('--') && a !== '--force')) {
      io.stderr.write(`${USAGE}\n`);
      return 2;
    }
    const config = loadConfig(io.env);
    try {
      const r = await backupConfiguredDatabase(config, file, { force });
      const kb = Math.ceil(r.bytes / 1024);
      if (r.dialect === 'postgres') {
        io.stdout.write(`backup of ${r.source} written to ${r.file} (${kb} KB, pg_dump custom format; restore with pg_restore)\n`);
      } else {
        io.stdout.write(`backup of ${r.source} written to ${r.file} (${r.pages} pages, ${kb} KB); integrity check ok\n`);
      }
      return 0;
    } catch (err) {
      if (!(err instanceof BackupRefused)) throw err;
      io.stderr.write(`backup refused: ${err.message}\n`);
      return 1;
    }
  },
};

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  const handler = name ? cliCommands[name] : undefined;
  if (!handler) {
    io.stderr.write(`${USAGE}\n`);
    return name ? 2 : 0;
  }
  try {
    return await handler(rest, io);
  } catch (err) {
    if (err instanceof ConfigError) io.stderr.write(`${err.message}\n`);
    else io.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}


if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runCli(process.argv.slice(2));
}
