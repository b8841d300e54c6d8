import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { migrationsFor } from '../../migrations/index.ts';
import { dialectOf } from '../../src/db/dialect.ts';
import { importCampaign } from '../../src/domain/campaign-import.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { parseCampaign } from '../../src/campaign/schema.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { createTestBot } from '../support/harness.ts';

const NOW = new Date('2020-09-28T01:00:00Z');

async function freshDb(): Promise<OpenedDatabase> {
  const d = openTestDatabase();
  await migrateToLatest(d.db, migrationsFor(dialectOf(d.db)));
  return d;
}

async function countAll(d: OpenedDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['campaigns', 'communities', 'compounds', 'compound_aliases', 'upgrade_actions', 'departments', 'routing_rules', 'people', 'person_posts', 'phases', 'deadlines'] as const) {
    const r = await d.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

describe('default campaign import', () => {
  let d: OpenedDatabase;
  afterEach(async () => d?.close());

  it('has the notice’s 41 compounds under the right community and track, in the notice’s order', async () => {
    d = await freshDb();
    const { campaignId } = await importCampaign(d.db, loadCampaignFile(), NOW);
    const compounds = await listCompounds(d.db, campaignId);
    expect(compounds).toHaveLength(41);
    const count = (community: string, track: string) => compounds.filter((c) => c.community === community && c.track === track).length;
    expect([count('梅园社区', 'upgrade'), count('梅园社区', 'coverage')]).toEqual([2, 10]);
    expect([count('紫薇社区', 'upgrade'), count('紫薇社区', 'coverage')]).toEqual([10, 4]);
    expect([count('丰泽社区', 'upgrade'), count('丰泽社区', 'coverage')]).toEqual([7, 7]);
    expect([count('东、西鲁社区', 'upgrade'), count('东、西鲁社区', 'coverage')]).toEqual([1, 0]);
    expect(compounds.filter((c) => c.track === 'coverage')).toHaveLength(21);
    expect(compounds.slice(0, 4).map((c) => c.name)).toEqual(['梅花园', '龙珠百合', '四十中宿舍', '建行宿舍']);
    expect(compounds.filter((c) => c.community === '梅园社区').map((c) => c.name)).toEqual([
      '梅花园', '龙珠百合', '四十中宿舍', '建行宿舍', '福源公寓', '梅园（西24.25号楼）', '安居小区', '医院宿舍', '书香花苑', '福临公寓', '山城街道教育宿舍', '华润纸厂宿舍',
    ]);
    expect(compounds.at(-1)!.name).toBe('丰泽嘉苑');
    expect(compounds.find((c) => c.name === '鑫盛公寓（药材宿舍）')!.aliases).toContain('药材宿舍');
    expect(compounds.find((c) => c.name === '四十中宿舍')!.aliases).toContain('四十中');
    expect(compounds.find((c) => c.name === '梅花园')!.actions).toEqual({ 环境卫生: '未开始', 道路设施: '未开始', 车辆停放: '未开始', 服务质量: '未开始' });
    expect(compounds.find((c) => c.name === '福源公寓')!.actions).toBeNull();
  });

  it('holds the people, departments with routing rules, phases and deadlines of the notice', async () => {
    d = await freshDb();
    const { campaignId } = await importCampaign(d.db, loadCampaignFile(), NOW);
    const guo = await d.db.selectFrom('people').innerJoin('person_posts', 'person_posts.person_id', 'people.id').select(['people.title', 'person_posts.body', 'person_posts.post']).where('people.name', '=', '郭振华').execute();
    expect(guo).toEqual([{ title: '山城街道党工委副书记', body: '专班', post: '成员' }]);
    const leaders = await d.db.selectFrom('person_posts').innerJoin('people', 'people.id', 'person_posts.person_id').select('people.name').where('body', '=', '领导小组').where('post', '=', '组长').execute();
    expect(leaders.map((l) => l.name)).toEqual(['李军']);
    const elevator = await d.db.selectFrom('routing_rules').innerJoin('departments', 'departments.id', 'routing_rules.department_id').select(['departments.name', 'routing_rules.keywords']).where('routing_rules.code', '=', 'elevator').executeTakeFirstOrThrow();
    expect(elevator.name).toBe('区市场监管局');
    expect(JSON.parse(elevator.keywords)).toContain('电梯');
    const deadlines = await d.db.selectFrom('deadlines').select(['date', 'scope']).where('campaign_id', '=', campaignId).orderBy('ord').execute();
    expect(deadlines.map((x) => x.date)).toEqual(['2020-09-10', '2020-11-15', '2020-11-30', '2020-12-20']);
    const phases = await d.db.selectFrom('phases').select(['name', 'ends_on']).orderBy('ord').execute();
    expect(phases.map((p) => p.name)).toEqual(['安排部署', '组织实施', '考核验收']);
  });

  it('changes nothing when the same campaign is imported twice', async () => {
    d = await freshDb();
    const first = await importCampaign(d.db, loadCampaignFile(), NOW);
    const counts = await countAll(d);
    const second = await importCampaign(d.db, loadCampaignFile(), new Date('2020-10-01T00:00:00Z'));
    expect(first).toMatchObject({ created: true, changed: true });
    expect(second).toEqual({ campaignId: first.campaignId, created: false, changed: false });
    expect(await countAll(d)).toEqual(counts);
    const campaign = await d.db.selectFrom('campaigns').select('imported_at').executeTakeFirstOrThrow();
    expect(campaign.imported_at).toBe(NOW.toISOString());
  });

  it('refuses a campaign file that names an unknown community, listing the problem', () => {
    const def = JSON.parse(fs.readFileSync(path.resolve('campaigns/shanting-2020.json'), 'utf8'));
    def.compounds[0].community = '不存在社区';
    expect(() => parseCampaign(def)).toThrow(/compounds\.0\.community: unknown community 不存在社区/);
  });

  it('imports CAMPAIGN_FILE on first start instead of the notice', async () => {
    const def = JSON.parse(fs.readFileSync(path.resolve('campaigns/shanting-2020.json'), 'utf8'));
    def.code = 'other-district';
    def.district = '另一区';
    def.communities = [{ name: '甲社区', aliases: [] }];
    def.compounds = [{ name: '甲小区', community: '甲社区', track: 'coverage', aliases: [] }];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-')), 'c.json');
    fs.writeFileSync(file, JSON.stringify(def));
    const bot = await createTestBot({ env: { CAMPAIGN_FILE: file } });
    const compounds = await listCompounds(bot.db, bot.runtime.deps.campaign.id);
    expect(compounds.map((c) => [c.name, c.community])).toEqual([['甲小区', '甲社区']]);
    expect(bot.runtime.deps.campaign.district).toBe('另一区');
    await bot.stop();
    await bot.close();
  });

  it('stores each rule’s phrasings, and routes another district by its own rules, phrasings and threshold', async () => {
    d = await freshDb();
    const { campaignId } = await importCampaign(d.db, loadCampaignFile(), NOW);
    const rules = await d.db.selectFrom('routing_rules').select(['code', 'phrasings']).where('campaign_id', '=', campaignId).execute();
    expect(rules.length).toBeGreaterThanOrEqual(20);
    for (const r of rules) expect((JSON.parse(r.phrasings) as string[]).length, r.code).toBeGreaterThan(0);

    const def = JSON.parse(fs.readFileSync(path.resolve('campaigns/shanting-2020.json'), 'utf8'));
    def.code = 'other-district';
    def.departments = [
      { name: '城管', kind: 'government', duties: '市容', aliases: [] },
      { name: '水务集团', kind: 'utility', duties: '供水', aliases: [] },
      { name: '镇政府', kind: 'street', duties: '兜底', aliases: [] },
    ];
    def.fallbackDepartment = '镇政府';
    def.routing = [
      { code: 'city', topic: '市容', department: '城管', keywords: ['违建'], phrasings: ['路边摆摊卖菜', '门口乱堆乱放'] },
      { code: 'water', topic: '供水', department: '水务集团', keywords: ['停水'] },
    ];
    delete def.routingClassifier;
    // The after-coverage sections name this district's departments; the other district has its own defaults.
    for (const section of ['assessment', 'subsidy', 'companyRecords', 'disclosure']) delete def[section];
    const parsed = parseCampaign(def);
    expect(parsed.routing[1]!.phrasings).toEqual([]);
    expect(parsed.routingClassifier).toEqual({ minConfidence: 0.5, synonyms: [] });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-')), 'c.json');
    fs.writeFileSync(file, JSON.stringify(def));
    const bot = await createTestBot({ env: { CAMPAIGN_FILE: file } });
    const route = (t: string) => bot.runtime.deps.routing.route(bot.db, t, []);
    expect(await route('小区门口有人摆摊卖水果')).toMatchObject({ departmentName: '城管', method: 'classifier' });
    expect(await route('又停水了')).toMatchObject({ departmentName: '水务集团', method: 'rule' });
    expect(await route('电梯坏了')).toMatchObject({ departmentName: '镇政府', method: 'fallback' });
    await bot.stop();
    await bot.close();
  });

  it('refuses a phrasing that is empty or a classifier threshold outside 0–1', () => {
    const def = JSON.parse(fs.readFileSync(path.resolve('campaigns/shanting-2020.json'), 'utf8'));
    def.routing[0].phrasings.push(' ');
    def.routingClassifier.minConfidence = 1.5;
    expect(() => parseCampaign(def)).toThrow(/routing\.0\.phrasings\.\d+[\s\S]*routingClassifier\.minConfidence/);
  });
});
