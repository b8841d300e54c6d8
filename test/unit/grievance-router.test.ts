import { beforeAll, describe, expect, it } from 'vitest';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import type { CampaignDefinition } from '../../src/campaign/schema.ts';
import { GrievanceRouter, type RoutingRuleSpec } from '../../src/routing/router.ts';
import { synonymRewriter } from '../../src/routing/synonyms.ts';
import { blankNames, charNgrams, foldForRouting } from '../../src/routing/text.ts';

/** The router built straight from the default campaign file, departments numbered in file order. */
function routerFrom(def: CampaignDefinition, tweak: (rules: RoutingRuleSpec[]) => RoutingRuleSpec[] = (r) => r) {
  const departments = def.departments.map((d, i) => ({ id: i + 1, name: d.name }));
  const id = (name: string) => departments.find((d) => d.name === name)!.id;
  const rules = def.routing.map((r, priority) => ({ ...r, departmentId: id(r.department), departmentName: r.department, priority }));
  const fallback = departments.find((d) => d.name === def.fallbackDepartment)!;
  const router = new GrievanceRouter(tweak(rules), departments, fallback, def.routingClassifier);
  return { router, id, fallback };
}

describe('the grievance router', () => {
  let def: CampaignDefinition;
  beforeAll(() => {
    def = loadCampaignFile();
  });

  it('folds, blanks names and cuts character n-grams within runs', () => {
    expect(foldForRouting('ＡＢ 电梯　坏了')).toBe('ab电梯坏了');
    expect(blankNames('联通佳苑联通信号差', ['联通佳苑'])).toBe('|联通信号差');
    expect(charNgrams('停水了2天', 2).sort()).toEqual(['了', '停', '停水', '天', '水', '水了'].sort());
    expect(synonymRewriter([['电动车', '电瓶车', '电驴'], ['老鼠', '耗子']])('电瓶车和电驴被耗子咬了')).toBe('电动车和电动车被老鼠咬了');
  });

  it('routes by a keyword and says which one matched', () => {
    const { router } = routerFrom(def);
    const d = router.route('3号楼电梯三天两头停，老人上不去');
    expect(d).toMatchObject({ departmentName: '区市场监管局', method: 'rule', confidence: 1, reason: '匹配：电梯' });
    expect(d.rule?.code).toBe('elevator');
  });

  it('routes colloquial texts without a keyword by the classifier and names the phrasing they resemble', () => {
    const { router } = routerFrom(def);
    for (const [text, department] of [
      ['家里灯一闪一闪的，冰箱也停了', '山亭供电部'],
      ['楼上天天半夜唱歌，吵得孩子睡不着觉', '区综合行政执法局'],
      ['屋里冷冰冰的，片子一点不烫', '山亭翼云热力有限公司'],
    ] as const) {
      const d = router.route(text);
      expect(d.departmentName, text).toBe(department);
      expect(d.method).toBe('classifier');
      expect(d.reason).toMatch(/^与“.+”相似$/);
      expect(d.confidence).toBeGreaterThanOrEqual(def.routingClassifier.minConfidence);
    }
  });

  it('ignores keywords inside the compound’s own names', () => {
    const { router } = routerFrom(def);
    expect(router.route('联通佳苑的电梯坏了', ['联通佳苑']).departmentName).toBe('区市场监管局');
    expect(router.route('翼云公寓停水了', ['翼云公寓']).departmentName).toBe('区自来水公司');
    expect(router.route('民生国际楼道里有老鼠', ['民生国际']).departmentName).toBe('区卫健局');
  });

  it('lets the classifier decide when a keyword only names the place, but not when it is the problem', () => {
    const { router } = routerFrom(def);
    const rat = router.route('电梯里有只老鼠跑来跑去');
    expect(rat.departmentName).toBe('区卫健局');
    expect(rat.method).toBe('classifier');
    expect(router.route('电梯里的按键失灵，按了没反应').departmentName).toBe('区市场监管局');
    expect(router.route('电梯门口堆着纸箱，电梯门关不上').departmentName).toBe('区市场监管局');
  });

  it('leaves a text that says nothing telling to the fallback department, with at most three other departments', () => {
    const { router, fallback } = routerFrom(def);
    const none = router.route('？？？');
    expect(none).toMatchObject({ departmentId: fallback.id, method: 'fallback', candidates: [] });
    const vague = router.route('门口那棵树快倒了');
    expect(vague.method).toBe('fallback');
    expect(vague.departmentId).toBe(fallback.id);
    expect(vague.candidates.length).toBe(3);
    expect(vague.candidates.map((c) => c.departmentId)).not.toContain(fallback.id);
    expect(vague.reason).toContain('未能确定职责部门');
    for (const c of vague.ranked) expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(vague.ranked.reduce((a, c) => a + c.confidence, 0)).toBeCloseTo(1, 6);
  });

  it('learns a person’s routing, replaces it when they change their mind, and forgets it', () => {
    const { router, id } = routerFrom(def, (rules) => rules.filter((r) => r.code !== 'security'));
    const before = router.route('电瓶车又丢了');
    expect(before.departmentName).not.toBe('区公安分局');
    const example = { grievanceId: 1, code: 'T0001', text: '福源公寓电动车被偷了', departmentId: id('区公安分局'), names: ['福源公寓'] };
    router.learn(example);
    const after = router.route('电瓶车又丢了');
    expect(after).toMatchObject({ departmentName: '区公安分局', reason: '与 T0001 相似', similarCode: 'T0001' });
    router.learn({ ...example, departmentId: id('区消防救援大队') });
    expect(router.learnedCount).toBe(1);
    expect(router.route('电瓶车又丢了').departmentName).not.toBe('区公安分局');
    router.forget(1);
    expect(router.learnedCount).toBe(0);
    const forgotten = router.route('电瓶车又丢了');
    expect({ ...forgotten, ranked: [], confidence: 0 }).toEqual({ ...before, ranked: [], confidence: 0 });
    expect(forgotten.confidence).toBeCloseTo(before.confidence, 9);
  });

  it('lets a confirmed grievance in nearly the same words decide over a keyword', () => {
    const { router, id } = routerFrom(def);
    expect(router.route('物业费收据上写的金额不对').departmentName).toBe('区发改局');
    router.learn({ grievanceId: 7, code: 'T0007', text: '物业费收据上写的金额不对', departmentId: id('区市场监管局'), names: [] });
    expect(router.route('物业费收据上的金额写得不对')).toMatchObject({ departmentName: '区市场监管局', method: 'learned', reason: '与 T0007 相似' });
  });

  it('is deterministic: the same training gives the same decisions', () => {
    const a = routerFrom(def).router;
    const b = routerFrom(def).router;
    for (const t of ['小区门口有人摆摊', '家里水管漏了', '宽带老掉线', '邻居吵架', '有人偷东西']) expect(a.route(t)).toEqual(b.route(t));
  });
});
