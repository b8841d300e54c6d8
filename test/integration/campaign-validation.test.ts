import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../../src/cli.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrations } from '../../migrations/index.ts';
import { importCampaign } from '../../src/domain/campaign-import.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { InvalidCampaign, parseCampaign } from '../../src/campaign/schema.ts';
import { createTestBot } from '../support/harness.ts';
import { ROOT } from '../support/child-bot.ts';
import { tempDir } from '../support/wait.ts';

/** Issue 12 item 11: a campaign file with an unknown zone, an impossible date, duplicates or unknown references is refused whole. */

type Def = ReturnType<typeof notice>;
const notice = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns/shanting-2020.json'), 'utf8')) as {
  timezone: string; startsOn: string; endsOn: string;
  communities: { name: string; aliases: string[] }[];
  compounds: { name: string; community: string; track: string; aliases: string[] }[];
  departments: { name: string; aliases: string[] }[];
  routing: { department: string }[];
  people: { name: string }[];
  phases: { name: string; startsOn?: string; endsOn: string }[];
  deadlines: { code: string; date: string }[];
  reports: { days: number[] };
  fallbackDepartment: string;
};

function problems(def: unknown): string[] {
  try {
    parseCampaign(def);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidCampaign);
    return (err as InvalidCampaign).problems;
  }
  return [];
}

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});
function writeDef(def: unknown): string {
  dir ??= tempDir('bot-campaign-');
  const file = path.join(dir, `c-${fs.readdirSync(dir).length}.json`);
  fs.writeFileSync(file, JSON.stringify(def));
  return file;
}

describe('campaign validation', () => {
  it('accepts the notice as transcribed, and any zone the runtime knows', () => {
    expect(problems(notice())).toEqual([]);
    expect(problems({ ...notice(), timezone: 'UTC' })).toEqual([]);
    expect(problems({ ...notice(), timezone: 'Europe/Berlin' })).toEqual([]);
  });

  it('refuses a time zone the runtime does not know, naming the field', () => {
    expect(problems({ ...notice(), timezone: 'Mars/Olympus_Mons' })).toEqual(['timezone: not a time zone this runtime knows (an IANA name such as Asia/Shanghai)']);
    expect(problems({ ...notice(), timezone: '' })).toHaveLength(1);
  });

  it('refuses impossible dates anywhere in the file, each with its path, all in one message', () => {
    const def: Def = notice();
    def.startsOn = '2020-02-30';
    def.phases[1]!.startsOn = '2020-09-31';
    def.deadlines[2]!.date = '2020-11-31';
    def.phases[2]!.endsOn = '2020-13-01';
    const found = problems(def);
    expect(found).toEqual(expect.arrayContaining([
      'startsOn: not a real calendar date (不存在的日期)',
      'phases.1.startsOn: not a real calendar date (不存在的日期)',
      'deadlines.2.date: not a real calendar date (不存在的日期)',
      'phases.2.endsOn: not a real calendar date (不存在的日期)',
    ]));
    // A malformed date says so once, not twice.
    expect(problems({ ...notice(), endsOn: '20.12.2020' })).toEqual(['endsOn: a date as YYYY-MM-DD']);
  });

  it('refuses duplicate community, compound, department and person names, and aliases that make matching ambiguous', () => {
    const def: Def = notice();
    def.communities.push({ name: '梅园社区', aliases: [] });
    def.compounds.push({ name: '福源公寓 ', community: '紫薇社区', track: 'coverage', aliases: [] });
    def.compounds[1]!.aliases.push('梅 花 园');
    const yaocai = def.compounds.findIndex((c) => c.aliases.includes('药材宿舍'));
    def.compounds[2]!.aliases.push('药材宿舍');
    def.departments.push({ ...def.departments[0]!, aliases: [] });
    def.departments[1]!.aliases.push('住建局');
    def.people.push({ ...def.people[0]! });
    def.communities[1]!.aliases.push('梅园');
    const found = problems(def).join('\n');
    expect(found).toContain(`communities.${def.communities.length - 1}.name: duplicate community “梅园社区”: communities.0`);
    expect(found).toContain(`compounds.${def.compounds.length - 1}.name: duplicate compound “福源公寓”`);
    expect(found).toMatch(/compounds\.1\.aliases\.0: duplicate alias “梅 花 园”: compounds\.0 is already called “梅花园”/);
    expect(found).toContain(`compounds.${yaocai}.aliases.1: duplicate alias “药材宿舍”: compounds.2 is already called “药材宿舍”`);
    expect(found).toContain(`departments.${def.departments.length - 1}.name: duplicate department “区住建局”`);
    expect(found).toMatch(/departments\.1\.aliases\.\d+: duplicate alias “住建局”: departments\.0/);
    expect(found).toContain(`people.${def.people.length - 1}.name: duplicate person 李军`);
    expect(found).toMatch(/communities\.1\.aliases\.1: duplicate alias “梅园”: communities\.0/);
    // An alias that repeats its own name is harmless.
    const own: Def = notice();
    own.compounds[0]!.aliases.push('梅花园');
    expect(problems(own)).toEqual([]);
  });

  it('refuses references to unknown communities and departments', () => {
    const def: Def = notice();
    def.compounds[3]!.community = '不存在社区';
    def.routing[0]!.department = '区不存在局';
    def.fallbackDepartment = '无此部门';
    expect(problems(def)).toEqual(expect.arrayContaining([
      'compounds.3.community: unknown community 不存在社区',
      'routing.0.department: unknown department 区不存在局',
      'fallbackDepartment: unknown department 无此部门',
    ]));
  });

  it('campaign import FILE: exit 1, the file and every problem named, nothing imported', async () => {
    dir = tempDir('bot-campaign-');
    const dbPath = path.join(dir, 'bot.db');
    const { db, close } = openDatabase(dbPath);
    await migrateToLatest(db, migrations);
    await importCampaign(db, loadCampaignFile(), new Date('2020-09-28T01:00:00Z'));
    const before = await db.selectFrom('campaigns').select(['code', 'definition_hash']).execute();
    await close();

    const bad: Def = notice();
    bad.timezone = 'Mars/Olympus_Mons';
    bad.compounds.push({ name: '新小区', community: '梅园社区', track: 'coverage', aliases: [] });
    bad.deadlines[0]!.date = '2020-02-30';
    const file = writeDef(bad);
    const err: string[] = [];
    const io: CliIo = { env: { DB_PATH: dbPath, LOG_LEVEL: 'silent' }, stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) } };
    expect(await runCli(['campaign', 'import', file], io)).toBe(1);
    const text = err.join('');
    expect(text).toContain(`invalid campaign file ${file}; nothing was imported`);
    expect(text).toContain('timezone: not a time zone');
    expect(text).toContain('deadlines.0.date: not a real calendar date');
    expect(text).not.toMatch(/\n\s+at /);

    const after = openDatabase(dbPath);
    expect(await after.db.selectFrom('campaigns').select(['code', 'definition_hash']).execute()).toEqual(before);
    expect(await after.db.selectFrom('compounds').select('id').where('name', '=', '新小区').execute()).toEqual([]);
    await after.close();

    // Not JSON at all: also named, also exit 1.
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"code": ');
    err.length = 0;
    expect(await runCli(['campaign', 'import', broken], io)).toBe(1);
    expect(err.join('')).toContain(`campaign file ${broken} (cannot be read as JSON)`);
  });

  it('CAMPAIGN_FILE at start: the bot does not start, says why, and the database holds no campaign', async () => {
    const bad: Def = notice();
    bad.startsOn = '2020-02-30';
    bad.communities.push({ name: '丰泽社区', aliases: [] });
    const file = writeDef(bad);
    const database = openTestDatabase();
    await expect(createTestBot({ env: { CAMPAIGN_FILE: file }, database })).rejects.toThrow(/startsOn: not a real calendar date[\s\S]*communities\.4\.name: duplicate community “丰泽社区”/);
    expect(await database.db.selectFrom('campaigns').select('id').execute()).toEqual([]);
    await database.close();

    // The real process: exit code 1 and the message on stderr, no stack trace.
    const dbPath = path.join(dir!, 'start.db');
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      input: '',
      timeout: 60_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CAMPAIGN_FILE: file, DB_PATH: dbPath, LOG_LEVEL: 'silent' },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`invalid campaign file ${file}; nothing was imported`);
    expect(run.stderr).toContain('startsOn: not a real calendar date');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
