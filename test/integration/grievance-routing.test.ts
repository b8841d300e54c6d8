import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { type RouteTarget, type RoutingRule, loadFallbackDepartment, loadRoutingRules, routeGrievance } from '../../src/domain/grievance-routing.ts';
import type { RoutingModel } from '../../src/routing/model.ts';

/** Realistic complaints and the department section 四 of the notice makes responsible (DESIGN §1). */
const TABLE: [string, string][] = [
  ['3号楼电梯坏了，已经停了三天', '区市场监管局'],
  ['电梯经常困人，老人不敢坐', '区市场监管局'],
  ['电梯年检标志过期了还在运行', '区市场监管局'],
  ['电梯运行时噪音很大，晃得厉害', '区市场监管局'],
  ['一楼住户在院子里私搭乱建彩钢房', '区综合行政执法局'],
  ['楼顶有人违章搭建阳光房', '区综合行政执法局'],
  ['小区门口烧烤摊油烟太大', '区综合行政执法局'],
  ['楼下饭店排放油烟，熏得没法开窗', '区综合行政执法局'],
  ['晚上广场舞噪音扰民', '区综合行政执法局'],
  ['楼上违规装修，砸墙拆承重墙', '区综合行政执法局'],
  ['垃圾分类没人指导，垃圾桶混投', '区综合行政执法局'],
  ['小区里车辆乱停乱放，停车难', '区综合行政执法局'],
  ['绿地被业主开垦种菜', '区综合行政执法局'],
  ['小区门口占道经营，卖菜的堵着路口', '区综合行政执法局'],
  ['私家车长期堵塞消防通道', '区公安分局'],
  ['楼下停车把消防通道堵死了', '区公安分局'],
  ['大货车停在小区门口阻塞交通', '区公安分局'],
  ['最近小区里老是丢电动车，怀疑有小偷', '区公安分局'],
  ['单元门口常有可疑人员徘徊', '区公安分局'],
  ['楼道里堆放杂物，电动车在楼道充电，有火灾隐患', '区消防救援大队'],
  ['消防栓没水，灭火器过期', '区消防救援大队'],
  ['有人从窗户飞线充电', '区消防救援大队'],
  ['地下室老鼠成群', '区卫健局'],
  ['垃圾站附近蚊蝇滋生', '区卫健局'],
  ['厨房蟑螂很多，希望统一消杀', '区卫健局'],
  ['物业费收费标准太高，没有经过核定', '区发改局'],
  ['物业乱收费，停车费不明码标价', '区市场监管局'],
  ['物业重复收费，还强制收费', '区市场监管局'],
  ['专项维修资金申请使用一直批不下来', '区住建局'],
  ['想查询维修基金余额，物业不给查', '区住建局'],
  ['业委会成员私自换届，业主有意见', '区民政局'],
  ['业主委员会选举不公开', '区民政局'],
  ['邻里之间因漏水产生纠纷，需要调解', '区司法局'],
  ['业主与物业矛盾激化，请求调解', '区司法局'],
  ['隔壁加盖的房子是否属于违法建筑，请求认定', '区自然资源局'],
  ['小区旁边化工厂排放废气，异味很大', '区生态环境分局'],
  ['周边工地粉尘污染严重', '区生态环境分局'],
  ['整栋楼停水两天了', '区自来水公司'],
  ['水压太低，高层用不上水', '区自来水公司'],
  ['突然停电，变压器坏了', '山亭供电部'],
  ['暖气不热，室温只有十几度', '山亭翼云热力有限公司'],
  ['楼道里闻到燃气泄漏的味道', '枣庄市民生燃气公司'],
  ['移动信号太差，打不了电话', '区移动分公司'],
  ['联通宽带断网一周了', '区联通分公司'],
  ['电信光纤一直装不上', '区电信分公司'],
  ['有线电视没信号', '中广有线山亭营业部'],
  ['物业不作为，反映的问题没人管', '山城街道办事处'],
];

describe('grievance routing (the campaign rules as imported)', () => {
  let bot: TestBot;
  let rules: RoutingRule[];
  let fallback: RouteTarget;
  let routing: RoutingModel;
  beforeAll(async () => {
    bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
    routing = bot.runtime.deps.routing;
    const campaign = bot.runtime.deps.campaign;
    rules = await loadRoutingRules(bot.db, campaign.id);
    fallback = await loadFallbackDepartment(bot.db, campaign.id, campaign.definition.fallbackDepartment);
  });
  afterAll(async () => {
    await bot.stop();
    await bot.close();
  });

  it('has at least 30 complaints in the table', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
  });

  it.each(TABLE)('%s → %s', async (text, department) => {
    const r = await routing.route(bot.db, text, []);
    expect(r.departmentName).toBe(department);
    expect(r.method).not.toBe('fallback');
    expect(r.reason).toMatch(/^(匹配：|与)/);
  });

  it('the keyword stage alone names the keyword it matched', () => {
    expect(routeGrievance('电梯困人，老人不敢坐', rules, fallback).rule).toEqual({ code: 'elevator', topic: '电梯', keyword: '电梯困人' });
    expect(routeGrievance('楼下停车把消防通道堵死了', rules, fallback).rule?.code).toBe('fire-lane');
    expect(routeGrievance('整栋楼停水两天了', rules, fallback).departmentName).toBe('区自来水公司');
  });

  it('ignores a keyword inside the compound\'s own name (联通佳苑 is not a telecom complaint)', () => {
    expect(routeGrievance('联通佳苑 楼道灯坏了', rules, fallback, { exclude: ['联通佳苑'] }).departmentName).toBe('山城街道办事处');
    expect(routeGrievance('联通佳苑 停水了', rules, fallback, { exclude: ['联通佳苑'] }).departmentName).toBe('区自来水公司');
  });

  it('routes end to end through 投诉 and records the department and the rule', async () => {
    await bot.bind('紫薇员', '社区 紫薇社区');
    await bot.bind('丰泽员', '社区 丰泽社区');
    const cases: [string, string, string, string | null][] = [
      ['紫薇员', '投诉 锦绣花园 3号楼电梯坏了', '区市场监管局', 'elevator'],
      ['丰泽员', '投诉 欧亚城 私家车堵塞消防通道', '区公安分局', 'fire-lane'],
      ['丰泽员', '诉求 桂花园 地下室老鼠成群', '区卫健局', 'vermin'],
      ['紫薇员', 'grievance 御景公馆 专项维修资金批不下来', '区住建局', 'maintenance-fund'],
      ['丰泽员', '纠纷 联通佳苑 楼道灯坏了没人修', '山城街道办事处', null],
    ];
    for (const [person, text, department, rule] of cases) {
      const reply = textOf(await bot.say(person, text));
      expect(reply).toContain('已登记诉求');
      expect(reply).toContain(department);
      const g = await bot.db
        .selectFrom('grievances')
        .innerJoin('departments', 'departments.id', 'grievances.department_id')
        .select(['departments.name', 'grievances.rule_code'])
        .orderBy('grievances.id', 'desc')
        .executeTakeFirstOrThrow();
      expect(g.name).toBe(department);
      expect(g.rule_code).toBe(rule);
    }
  });

  it('routes every example quoted in issue 11 as the notice says, and says why', async () => {
    await bot.bind('梅园员2', '社区 梅园社区');
    await bot.bind('紫薇员2', '社区 紫薇社区');
    const telecoms = ['区移动分公司', '区联通分公司', '区电信分公司'];
    const cases: [string, (department: string, reply: string) => boolean][] = [
      ['投诉 锦绣花园 2号楼电梯三天两头停运', (d) => d === '区市场监管局'],
      ['投诉 福源公寓 经常有外来人员偷电动车', (d) => d === '区公安分局'],
      // No operator named: a telecom company, or the street with the three of them as buttons.
      ['投诉 书香花苑 宽带断了好几天，网络信号很差', (d, reply) => telecoms.includes(d) || telecoms.every((t) => reply.includes(t))],
      ['投诉 安居小区 暖气片一直不热', (d) => d === '山亭翼云热力有限公司'],
      // Section 四: fire safety is the 消防救援大队's, a blocked fire lane the 公安分局's.
      ['投诉 福临公寓 楼道里堆满杂物消防车都进不来', (d) => d === '区消防救援大队' || d === '区公安分局'],
      ['投诉 医院宿舍 公共维修的钱怎么用的没人说', (d) => d === '区住建局'],
    ];
    for (const [text, ok] of cases) {
      const reply = textOf(await bot.say(text.includes('锦绣花园') ? '紫薇员2' : '梅园员2', text));
      const g = await bot.db
        .selectFrom('grievances')
        .innerJoin('departments', 'departments.id', 'grievances.department_id')
        .select(['departments.name'])
        .orderBy('grievances.id', 'desc')
        .executeTakeFirstOrThrow();
      expect(ok(g.name, reply), `${text} → ${g.name}`).toBe(true);
      expect(reply).toMatch(/（匹配：[^）]+）|（与.+相似）|可能是：/);
    }
  });
});
