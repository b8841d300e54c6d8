import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';

describe('JSON API', () => {
  let bot: TestBot;
  let base: string;
  beforeAll(async () => {
    bot = await createTestBot({ env: { API_TOKEN: 'secret-token' } });
    base = `http://127.0.0.1:${await bot.runtime.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await bot.stop();
    await bot.close();
  });
  const get = (path: string, token: string | null = 'secret-token') =>
    fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers 401 without the token, or with a wrong one', async () => {
    for (const path of ['/api/v1/progress', '/api/v1/compounds', '/api/v1/grievances']) {
      expect((await get(path, null)).status).toBe(401);
      expect((await get(path, 'wrong')).status).toBe(401);
    }
  });

  it('lists exactly the notice’s 41 compounds, each under its community and track, in the notice’s order', async () => {
    const res = await get('/api/v1/compounds');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { name: string; community: string; track: string; category: null; takeover: null; actions: Record<string, string> | null }[];
    const def = loadCampaignFile();
    expect(body).toHaveLength(41);
    const expected = def.communities.flatMap((c) =>
      ['upgrade', 'coverage'].flatMap((t) => def.compounds.filter((x) => x.community === c.name && x.track === t).map((x) => ({ name: x.name, community: x.community, track: x.track }))),
    );
    expect(body.map(({ name, community, track }) => ({ name, community, track }))).toEqual(expected);
    expect(body.every((c) => c.takeover === null && c.category === null)).toBe(true);
    expect(body.filter((c) => c.track === 'upgrade').every((c) => Object.keys(c.actions!).join() === '环境卫生,道路设施,车辆停放,服务质量')).toBe(true);
    expect(body.filter((c) => c.track === 'coverage').every((c) => c.actions === null)).toBe(true);
  });

  it('reports progress that agrees with the compounds list', async () => {
    const progress = (await (await get('/api/v1/progress')).json()) as {
      asOf: string; coverage: { total: number; covered: number }; upgrade: { total: number; done: number; actionsDone: number; actionsTotal: number };
      grievances: { open: number; overdue: number; resolved: number };
      period: { due: string; effectiveDue: string; confirmed: string[]; missing: string[] };
      communities: { name: string; coverage: { total: number; covered: number }; upgrade: { total: number; done: number }; grievancesOpen: number }[];
    };
    const compounds = await listCompounds(bot.db, bot.runtime.deps.campaign.id);
    expect(progress.asOf).toBe('2020-09-28T01:00:00.000Z');
    expect(progress.coverage).toEqual({ total: compounds.filter((c) => c.track === 'coverage').length, covered: 0 });
    expect(progress.upgrade).toEqual({ total: 20, done: 0, actionsDone: 0, actionsTotal: 80 });
    expect(progress.grievances).toEqual({ open: 0, overdue: 0, resolved: 0 });
    expect(progress.period).toEqual({ due: '2020-10-01', effectiveDue: '2020-09-30', confirmed: [], missing: ['梅园社区', '紫薇社区', '丰泽社区', '东、西鲁社区'] });
    for (const c of progress.communities) {
      const mine = compounds.filter((x) => x.community === c.name);
      expect(c.coverage.total).toBe(mine.filter((x) => x.track === 'coverage').length);
      expect(c.upgrade.total).toBe(mine.filter((x) => x.track === 'upgrade').length);
    }
  });

  it('counts a coverage compound as covered once its takeover has started, as of the clock', async () => {
    const fuyuan = (await listCompounds(bot.db, bot.runtime.deps.campaign.id)).find((c) => c.name === '福源公寓')!;
    await bot.db.insertInto('takeovers').values({
      compound_id: fuyuan.id, company: '鑫安物业', nature: '外聘', start_date: '2020-09-30', services: '["保洁"]', manager: '王强', phone: '13905321234',
      remarks: null, recorded_at: '2020-09-28T01:00:00.000Z', recorded_by: 'ou_x', source_kind: 'message', source_ref: 'om_x', source_chat: null, superseded_at: null,
    }).execute();
    const before = (await (await get('/api/v1/progress')).json()) as { coverage: { covered: number } };
    expect(before.coverage.covered).toBe(0);
    bot.clock.set('2020-09-30T10:00:00+08:00');
    const after = (await (await get('/api/v1/progress')).json()) as { coverage: { covered: number } };
    expect(after.coverage.covered).toBe(1);
    const compounds = (await (await get('/api/v1/compounds')).json()) as { name: string; takeover: Record<string, unknown> | null }[];
    expect(compounds.find((c) => c.name === '福源公寓')!.takeover).toEqual({
      company: '鑫安物业', nature: '外聘', startDate: '2020-09-30', services: ['保洁'], manager: '王强', phone: '13905321234', remarks: null,
    });
  });

  it('answers /healthz when the database answers', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe('JSON API without API_TOKEN', () => {
  it('answers 404', async () => {
    const bot = await createTestBot();
    const port = await bot.runtime.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/progress`, { headers: { authorization: 'Bearer x' } });
    expect(res.status).toBe(404);
    await bot.stop();
    await bot.close();
  });
});
