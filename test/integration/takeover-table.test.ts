/**
 * Realistic messages staff send, each with what the bot must do: the exact takeover written, or what it asks
 * for (writing nothing), or why it refuses. Driven through the real bot; asserted on the API-shaped data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { getActiveCampaign } from '../../src/domain/campaign.ts';

interface Takeover {
  company: string | null; nature: '自主' | '外聘'; startDate: string; services: string[]; manager: string | null; phone: string | null;
}
interface Case {
  say: string;
  /** 张三 梅园社区 (default), 赵六 紫薇社区, 孙七 丰泽社区, 王五 街道, 周八 领导, admin, 路人 (unbound). */
  as?: string;
  now?: string;
  /** Messages the same person sent first. */
  before?: string[];
  writes?: { compound: string; takeover?: Partial<Takeover> & Pick<Takeover, 'nature' | 'startDate'>; category?: number; rows?: number };
  /** The card asks for these (and writes nothing); `choices` are the compound buttons offered. */
  asks?: string[];
  choices?: string[];
  /** Refused with this text; nothing written. */
  refuses?: string;
  /** The takeover interpreter leaves it alone (a grievance): nothing written. */
  notClaimed?: true;
  /** Nothing new is written, with this reply. */
  unchanged?: string;
}

const REPORT = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234';
const FUYUAN: Takeover = { company: '鑫安物业', nature: '外聘', startDate: '2020-09-20', services: [], manager: '王强', phone: '13905321234' };
const self = (startDate: string): Pick<Takeover, 'nature' | 'startDate'> => ({ nature: '自主', startDate });

const CASES: Case[] = [
  // Complete reports, dates in every form.
  { say: REPORT, writes: { compound: '福源公寓', takeover: FUYUAN } },
  { say: '药材宿舍 社区兜底 10.8', as: '赵六', now: '2020-10-09T09:00:00+08:00', writes: { compound: '鑫盛公寓（药材宿舍）', takeover: self('2020-10-08') } },
  {
    say: '建行宿舍由鑫安物业服务有限公司入驻，2020年9月1日，服务内容：保洁、保安、护绿，联系人李娜，电话0632-8869917',
    writes: { compound: '建行宿舍', takeover: { company: '鑫安物业服务有限公司', nature: '外聘', startDate: '2020-09-01', services: ['保洁', '保安', '护绿'], manager: '李娜', phone: '0632-8869917' } },
  },
  { say: '医院宿舍 物业公司为华泰物业 2020/9/15', writes: { compound: '医院宿舍', takeover: { company: '华泰物业', nature: '外聘', startDate: '2020-09-15' } } },
  {
    say: '书香花苑，王经理 138 0632 1234，绿化和保洁，今天入驻，鑫源物业服务中心',
    writes: { compound: '书香花苑', takeover: { company: '鑫源物业服务中心', nature: '外聘', startDate: '2020-09-28', services: ['保洁', '护绿'], manager: '王经理', phone: '13806321234' } },
  },
  { say: '安居小区 业委会自管 昨天 负责人 张伟 139-0532-1234', writes: { compound: '安居小区', takeover: { ...self('2020-09-27'), manager: '张伟', phone: '13905321234' } } },
  { say: '四十中 社区兜底 2020-09-20', writes: { compound: '四十中宿舍', takeover: self('2020-09-20') } },
  { say: '40中宿舍 兜底 9月20号', writes: { compound: '四十中宿舍', takeover: self('2020-09-20') } },
  { say: '梅园西24栋 社区兜底 9.20', writes: { compound: '梅园（西24.25号楼）', takeover: self('2020-09-20') } },
  { say: '梅园（西24、25号楼）外聘恒泰物业公司，9月25日入驻', writes: { compound: '梅园（西24.25号楼）', takeover: { company: '恒泰物业公司', nature: '外聘', startDate: '2020-09-25' } } },
  { say: 'fygy 社区兜底 9月1日', writes: { compound: '福源公寓', takeover: self('2020-09-01') } },
  // A near match (a homophone, one character off) is offered, never taken.
  { say: '福元公寓 兜底 9月1日', asks: ['您是不是指', '福源公寓'], choices: ['福源公寓'] },
  { say: '梅花苑 兜底 9月1日', asks: ['您是不是指', '梅花园'], choices: ['梅花园'] },
  { say: '福源公寓已入驻，鑫安物业，外聘，２０２０年９月２０日进驻，负责人王强　１３９０５３２１２３４', writes: { compound: '福源公寓', takeover: FUYUAN } },
  { say: '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 139 0532 1234', writes: { compound: '福源公寓', takeover: FUYUAN } },
  { say: '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 139-0532-1234', writes: { compound: '福源公寓', takeover: FUYUAN } },
  { say: '福源公寓已入驻,鑫安物业,外聘,9月20日进驻,负责人:王强,13905321234', writes: { compound: '福源公寓', takeover: FUYUAN } },
  {
    say: '华润纸厂 选聘 润华物业管理有限公司 2020.9.18 保洁、保安、设施维护 联系人 刘洋 0632-8869917',
    writes: { compound: '华润纸厂宿舍', takeover: { company: '润华物业管理有限公司', nature: '外聘', startDate: '2020-09-18', services: ['保洁', '保安', '设施维护'], manager: '刘洋', phone: '0632-8869917' } },
  },
  {
    say: '教育宿舍 聘请 山亭区宏远物业 10.8 负责人：赵磊 15606321234', now: '2020-10-10T09:00:00+08:00',
    writes: { compound: '山城街道教育宿舍', takeover: { company: '山亭区宏远物业', nature: '外聘', startDate: '2020-10-08', manager: '赵磊', phone: '15606321234' } },
  },
  { say: '纸厂宿舍 自主管理，9月30日起，维护秩序、保洁', now: '2020-10-01T09:00:00+08:00', writes: { compound: '华润纸厂宿舍', takeover: { ...self('2020-09-30'), services: ['保洁', '维护秩序'] } } },
  { say: '福临公寓 社区兜底 2020年9月20日 负责人 陈静 0632-8869917', writes: { compound: '福临公寓', takeover: { ...self('2020-09-20'), manager: '陈静', phone: '0632-8869917' } } },
  { say: '安居 社区兜底 9月10日', writes: { compound: '安居小区', takeover: self('2020-09-10') } },
  { say: '福源公寓 嘉禾物业 9月20日', writes: { compound: '福源公寓', takeover: { company: '嘉禾物业', nature: '外聘', startDate: '2020-09-20' } } },
  { say: '银山小区已入驻，鑫安物业，外聘，9月20日进驻', as: '王五', writes: { compound: '银山小区', takeover: { company: '鑫安物业', nature: '外聘', startDate: '2020-09-20' } } },
  { say: '欧情东苑 业委会自管 9.15', as: 'admin', writes: { compound: '欧情东苑', takeover: self('2020-09-15') } },
  { say: '紫薇社区银山小区 社区兜底 9月20日', as: '赵六', writes: { compound: '银山小区', takeover: self('2020-09-20') } },
  { say: '入驻 福源公寓 鑫安物业 外聘 9月20日 保洁、保安 负责人王强 13905321234', writes: { compound: '福源公寓', takeover: { ...FUYUAN, services: ['保洁', '保安'] } } },
  { say: 'takeover 福源公寓 鑫安物业 外聘 2020-09-20', writes: { compound: '福源公寓', takeover: { company: '鑫安物业', nature: '外聘', startDate: '2020-09-20' } } },
  {
    say: '福源公寓入驻情况：鑫安物业公司（外聘），入驻时间2020-09-20，服务：保洁/保安，联系人王强，电话13905321234',
    writes: { compound: '福源公寓', takeover: { ...FUYUAN, company: '鑫安物业公司', services: ['保洁', '保安'] } },
  },
  { say: '福源公寓 鑫安物业 9月20日 一类', writes: { compound: '福源公寓', takeover: { company: '鑫安物业', nature: '外聘', startDate: '2020-09-20' }, category: 1 } },
  { say: '梅花园 兜底 9.1', writes: { compound: '梅花园', takeover: self('2020-09-01') } },
  { say: '龙珠百合 外聘 金诚物业 9月5日', writes: { compound: '龙珠百合', takeover: { company: '金诚物业', nature: '外聘', startDate: '2020-09-05' } } },
  { say: '福源公寓 外聘鑫安物业 昨天进驻 保安 护绿', writes: { compound: '福源公寓', takeover: { company: '鑫安物业', nature: '外聘', startDate: '2020-09-27', services: ['保安', '护绿'] } } },
  { say: '福源公寓 兜底 2020年12月30日', now: '2021-01-05T09:00:00+08:00', writes: { compound: '福源公寓', takeover: self('2020-12-30') } },
  { say: '梅园社区福源公寓 社区兜底 9月20日', writes: { compound: '福源公寓', takeover: self('2020-09-20') } },
  { say: '鑫盛公寓(药材宿舍) 外聘 鲁南物业 9月12日', as: '赵六', writes: { compound: '鑫盛公寓（药材宿舍）', takeover: { company: '鲁南物业', nature: '外聘', startDate: '2020-09-12' } } },

  // Corrections keep history: a new row, the previous one superseded.
  { before: [REPORT], say: '福源公寓 入驻时间改为9月18日', writes: { compound: '福源公寓', takeover: { ...FUYUAN, startDate: '2020-09-18' }, rows: 2 } },
  // Another company: whether the previous company's manager and phone go with it is asked, not guessed.
  { before: [REPORT], say: '福源公寓 物业改为恒泰物业公司', asks: ['原负责人王强', '不再保留'] },
  { before: [REPORT], say: '福源公寓 物业改为恒泰物业公司 负责人李四 13800000001', writes: { compound: '福源公寓', takeover: { ...FUYUAN, company: '恒泰物业公司', manager: '李四', phone: '13800000001' }, rows: 2 } },
  // A correction of the company's name changes only the company.
  { before: [REPORT], say: '福源公寓 不是鑫安物业，是恒泰物业', writes: { compound: '福源公寓', takeover: { ...FUYUAN, company: '恒泰物业' }, rows: 2 } },
  { before: [REPORT], say: '福源公寓 负责人改为李四 13800000001', writes: { compound: '福源公寓', takeover: { ...FUYUAN, manager: '李四', phone: '13800000001' }, rows: 2 } },
  { before: [REPORT], say: REPORT, unchanged: '与已有记录一致' },

  // Something missing or uncertain: a card asks, nothing is written.
  { say: '福源公寓已入驻', asks: ['管理性质', '入驻时间'] },
  { say: '福源公寓 社区兜底', asks: ['入驻时间'] },
  { say: '福源公寓 9月20日入驻', asks: ['管理性质'] },
  { say: '已入驻，鑫安物业，外聘，9月20日', asks: ['选择小区'], choices: ['梅花园', '龙珠百合', '四十中宿舍', '建行宿舍', '福源公寓', '梅园（西24.25号楼）', '安居小区', '医院宿舍', '书香花苑', '福临公寓', '山城街道教育宿舍', '华润纸厂宿舍'] },
  { say: '福源公寓、福临公寓都已入驻，社区兜底，9月20日', asks: ['2个小区', '确认记录福源公寓', '确认记录福临公寓'] },
  { say: '欧情 外聘 9月1日', as: '孙七', asks: ['选择小区'], choices: ['欧情豪庭', '欧情南苑', '欧情东苑'] },
  { say: '龙珠 外聘 金诚物业 9月5日', as: '王五', asks: ['选择小区'], choices: ['龙珠百合', '龙珠丽都'] },
  { say: '梅园已入驻，兜底，9月20日', asks: ['选择小区'], choices: ['梅花园', '梅园（西24.25号楼）'] },
  { say: '福x公寓 兜底 9月1日', asks: ['选择小区'], choices: ['福源公寓', '福临公寓'] },
  { say: '福源公寓 外聘 社区兜底 9月20日', asks: ['管理性质'] },
  { say: '紫薇社区 社区兜底 9月20日', as: '赵六', asks: ['选择小区', '紫薇社区'], choices: ['紫薇社区'] },
  { say: '医疗宿舍 兜底 9月1日', asks: ['选择小区', '医院宿舍'], choices: ['医院宿舍'] },
  { say: '梅园 社区兜底 9月20日', asks: ['选择小区'] },
  { say: 'xyz 社区兜底 9月20日', asks: ['选择小区'] },
  { say: '入驻 福源公寓', asks: ['管理性质', '入驻时间'] },

  // Refused with the reason; nothing is written.
  { say: '福源公寓 兜底 10月20日', refuses: '晚于今天' },
  { say: '福源公寓 兜底 2020-12-01', refuses: '晚于今天' },
  { say: '福源公寓 兜底 明天 12月1日', refuses: '晚于今天' },
  { say: '福源公寓 兜底 2月30日', refuses: '不存在' },
  { say: '银山小区已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234', refuses: '不能修改紫薇社区的小区数据' },
  { say: '御景公馆 外聘 亿家物业 9.1', refuses: '不能修改紫薇社区的小区数据' },
  { say: '福源公寓 兜底 9月20日', as: '周八', refuses: '领导角色只能查看' },
  { say: '福源公寓 兜底 9月20日', as: '路人', refuses: '还没有使用此功能的权限' },

  // Grievances are not takeover reports: the interpreter leaves them alone.
  { say: '福源公寓 电梯坏了', notClaimed: true },
  { say: '福源公寓楼下噪音扰民', notClaimed: true },
  { say: '投诉 福源公寓物业不作为', notClaimed: true },
  { say: '福源公寓物业收费太高', notClaimed: true },
  { say: '福源公寓停车难，联系人王强', notClaimed: true },
];

const PEOPLE: Record<string, string> = { 张三: '社区 梅园社区', 赵六: '社区 紫薇社区', 孙七: '社区 丰泽社区', 王五: '街道', 周八: '领导' };

async function state(bot: TestBot) {
  const campaign = await getActiveCampaign(bot.db);
  const compounds = await listCompounds(bot.db, campaign.id);
  const rows = await bot.db.selectFrom('takeovers').select('compound_id').execute();
  const audit = await bot.db.selectFrom('audit_log').select('id').where('entity', 'in', ['takeover', 'category', 'upgrade_action']).execute();
  return { compounds, rows: rows.length, audit: audit.length };
}

describe('takeover reports as staff write them', () => {
  let bot: TestBot | null = null;
  afterEach(async () => {
    await bot?.stop();
    await bot?.close();
    bot = null;
  });

  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(CASES.map((c, i) => [`${i + 1}. ${c.say}`, c] as const))('%s', async (_name, c) => {
    bot = await createTestBot({ now: c.now ?? '2020-09-28T10:00:00+08:00' });
    for (const [who, role] of Object.entries(PEOPLE)) await bot.bind(who, role);
    const as = c.as ?? '张三';
    for (const m of c.before ?? []) await bot.say(as, m);
    const before = await state(bot);
    const sent = await bot.say(as, c.say);
    // A grievance also notifies the department's (or the street's) group; everything else is one reply.
    if (!c.notClaimed) expect(sent).toHaveLength(1);
    const after = await state(bot);
    const reply = sent[0]!;

    if (c.writes) {
      const compound = after.compounds.find((x) => x.name === c.writes!.compound)!;
      if (c.writes.takeover) {
        const expected = { company: null, services: [], manager: null, phone: null, ...c.writes.takeover };
        expect(compound.takeover && {
          company: compound.takeover.company, nature: compound.takeover.nature, startDate: compound.takeover.startDate,
          services: compound.takeover.services, manager: compound.takeover.manager, phone: compound.takeover.phone,
        }).toEqual(expected);
        expect(after.rows).toBe(c.writes.rows ?? 1);
      }
      if (c.writes.category) expect(compound.category).toBe(c.writes.category);
      // Nothing else changed: only this compound has a takeover.
      expect(after.compounds.filter((x) => x.takeover).map((x) => x.name)).toEqual([c.writes.compound]);
      expect(cardText(reply.card)).toContain('已记录');
      return;
    }
    // Every other outcome writes nothing.
    expect(after.rows).toBe(before.rows);
    expect(after.audit).toBe(before.audit);
    if (c.asks) {
      const text = cardText(reply.card);
      expect(text).toContain('确认前不会记录');
      for (const a of c.asks) expect(text).toContain(a);
      if (c.choices) {
        const offered = cardButtons(reply.card).filter((b) => b.value.c !== undefined).map((b) => b.label);
        expect(offered.sort()).toEqual([...c.choices].sort());
      }
    } else if (c.refuses) {
      expect(textOf(sent)).toContain(c.refuses);
    } else if (c.notClaimed) {
      // Left to the grievance interpreter, which records it as a grievance with a typeable id.
      expect(reply.op).toBe('reply');
      expect(textOf([reply])).toMatch(/T\d{4}/);
    } else if (c.unchanged) {
      expect(textOf(sent)).toContain(c.unchanged);
    }
  });
});
