import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatIdOf, createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';
import { tickAt } from '../support/reminders.ts';

const records = (bot: TestBot) => bot.db.selectFrom('company_records').selectAll().orderBy('id').execute();

describe('company credit file and bad-behaviour records', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-10-20T10:00:00+08:00' });
    await bot.bind('郭振华', '街道');
    await bot.bind('王局', '部门 区住建局');
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('李四', '社区 紫薇社区');
    await bot.say('张三', '福源公寓已入驻，鑫安物业，外聘，9月20日进驻');
    await bot.say('张三', '建行宿舍已入驻，鑫安物业服务有限公司，外聘，9月21日进驻');
    await bot.say('李四', '银山小区已入驻，鑫达物业，外聘，9月22日进驻');
    await bot.say('张三', '投诉 福源公寓 3号楼电梯坏了');
    await bot.say('张三', '投诉 建行宿舍 楼下噪音扰民');
    await bot.say('李四', '投诉 银山小区 路灯坏了');
    bot.messenger.clear();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('finds a company by part of its name and shows its compounds, grievances, scores and records', async () => {
    await bot.say('郭振华', '考核 福源公寓 18 17 9 8 8 9 9 4 4');
    const card = (await bot.say('张三', '公司 鑫安', { chat: '梅园社区' }))[0]!.card!;
    const text = cardText(card);
    expect(text).toContain('鑫安物业服务有限公司 信用档案');
    expect(text).toContain('服务小区（2）');
    expect(text).toContain('福源公寓（梅园社区），2020-09-20起');
    expect(text).toContain('建行宿舍（梅园社区），2020-09-21起');
    expect(text).not.toContain('银山小区');
    expect(text).toContain('共 2 件，未办结 2 件');
    expect(text).toContain('区市场监管局 1');
    expect(text).toContain('区综合行政执法局 1');
    expect(text).toContain('2020年第四季度考核 福源公寓：86/100 合格');
    expect(text).toContain('也记作：鑫安物业');
    expect(text).toContain('暂无不良行为记录');
    // Pinyin initials, and the full legal name, find the same company.
    expect(cardText((await bot.say('郭振华', '公司 鑫安物业服务有限公司'))[0]!.card)).toContain('鑫安物业服务有限公司 信用档案');
    expect(cardText((await bot.say('郭振华', '公司 xa'))[0]!.card)).toContain('鑫安物业服务有限公司 信用档案');
    expect(textOf(await bot.say('郭振华', '公司 鑫'))).toContain('没有找到物业企业');
    expect(textOf(await bot.say('郭振华', '公司 华夏'))).toContain('已登记的物业企业有：鑫安物业服务有限公司、鑫达物业');
    const list = cardText((await bot.say('郭振华', '公司'))[0]!.card);
    expect(list).toContain('鑫安物业服务有限公司：服务 2 个小区');
    expect(list).toContain('鑫达物业：服务 1 个小区');
  });

  it('adds a bad-behaviour record with provenance, linked to the compound it names, and 撤销 withdraws it', async () => {
    const r = textOf(await bot.say('王局', '不良记录 鑫安 福源公寓未按合同配备保安，经督促仍未整改', { chat: '住建局群' }));
    expect(r).toContain('已记入鑫安物业服务有限公司的信用档案');
    expect(r).toContain('涉及小区：福源公寓');
    const [row] = await records(bot);
    expect(row).toMatchObject({
      company: '鑫安物业服务有限公司', company_key: '鑫安', text: '福源公寓未按合同配备保安，经督促仍未整改', recorded_by: openIdOf('王局'),
      source_kind: 'message', source_chat: chatIdOf('住建局群'), withdrawn_at: null,
    });
    expect(row!.compound_id).not.toBeNull();
    const audit = await bot.db.selectFrom('audit_log').selectAll().where('entity', '=', 'company_record').execute();
    expect(audit.map((a) => a.action)).toEqual(['company_record.add']);
    const file = cardText((await bot.say('郭振华', '公司 鑫安物业'))[0]!.card);
    expect(file).toContain('不良行为记录（1）');
    expect(file).toContain('10月20日 福源公寓：福源公寓未按合同配备保安，经督促仍未整改（王局）');

    expect(textOf(await bot.say('王局', '撤销'))).toContain('已撤销您最近的修改：鑫安物业服务有限公司的不良记录已恢复为修改前的状态');
    expect((await records(bot))[0]!.withdrawn_at).not.toBeNull();
    expect(cardText((await bot.say('郭振华', '公司 鑫安物业'))[0]!.card)).toContain('暂无不良行为记录');
  });

  it('reads a record glued to the company name, accepts a full name not yet serving, and refuses what it cannot place', async () => {
    expect(textOf(await bot.say('郭振华', '不良记录 鑫达物业未按规定公示收费标准'))).toContain('已记入鑫达物业的信用档案');
    expect((await records(bot)).at(-1)!.text).toBe('未按规定公示收费标准');
    const unknown = textOf(await bot.say('郭振华', '不良记录 新世纪物业有限公司 收费不规范，多收停车费'));
    expect(unknown).toContain('已记入新世纪物业有限公司的信用档案');
    expect(unknown).toContain('目前没有登记在服务的小区');
    expect(textOf(await bot.say('郭振华', '不良记录 华夏 收费不规范'))).toContain('没有找到物业企业“华夏”');
    expect(textOf(await bot.say('郭振华', '不良记录 鑫安物业'))).toContain('请写明不良行为的具体内容');
    expect(textOf(await bot.say('郭振华', '不良记录 华夏物业管理不到位'))).toContain('请在企业名称和记录内容之间空一格');
    expect(textOf(await bot.say('郭振华', '不良记录 鑫安物业 差'))).toContain('至少4个字');
    expect(await records(bot)).toHaveLength(2);
  });

  it('lets only the street, 区住建局 and admins add records', async () => {
    expect(textOf(await bot.say('张三', '不良记录 鑫安物业 收费不规范'))).toContain('不在您的权限范围内');
    await bot.bind('卫健', '部门 区卫健局');
    expect(textOf(await bot.say('卫健', '不良记录 鑫安物业 收费不规范'))).toContain('不在您的权限范围内');
    expect(await records(bot)).toHaveLength(0);
  });

  it('sends the month’s new records to the 专班 and 领导小组 groups early the next month, once', async () => {
    await bot.bindChat('专班群', '专班');
    await bot.bindChat('领导小组群', '领导小组');
    await bot.say('王局', '不良记录 鑫安物业 未按合同配备保安，联系人电话 13905321234');
    bot.clock.set('2020-10-30T10:00:00+08:00');
    await bot.say('郭振华', '不良记录 鑫达物业 垃圾清运不及时');
    bot.clock.set('2020-11-01T10:00:00+08:00');
    await bot.say('郭振华', '不良记录 鑫达物业 十一月的记录，下月再公示');
    // 1 November 2020 is a Sunday: the digest goes out on Monday 2 November.
    expect((await tickAt(bot, '2020-11-01T18:00:00+08:00')).filter((s) => s.purpose === 'company-records-digest')).toEqual([]);
    const sent = (await tickAt(bot, '2020-11-02T09:00:00+08:00')).filter((s) => s.purpose === 'company-records-digest');
    expect(sent.map((s) => s.target).sort()).toEqual([chatIdOf('专班群'), chatIdOf('领导小组群')].sort());
    const text = sent[0]!.text!;
    expect(text).toContain('【物业企业不良行为记录公示】2020年10月新增 2 条：');
    expect(text).toContain('1. 鑫安物业服务有限公司：未按合同配备保安，联系人电话 139****1234（10月20日，记录人：王局）');
    expect(text).toContain('2. 鑫达物业：垃圾清运不及时（10月30日，记录人：郭振华）');
    expect(text).not.toContain('十一月');
    expect((await tickAt(bot, '2020-11-02T10:00:00+08:00')).filter((s) => s.purpose === 'company-records-digest')).toEqual([]);
  });
});
