import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, openIdOf, textOf, type TestBot } from '../support/harness.ts';
import { cardText } from '../support/recording-messenger.ts';

describe('foundation commands', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await createTestBot();
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
  });

  it('tells an unbound person politely that they are not authorised and whom to ask, and writes nothing', async () => {
    await bot.say('admin', '绑定 @王主任 管理员');
    const auditBefore = await bot.db.selectFrom('audit_log').selectAll().execute();
    const r = await bot.say('张三', '进度');
    expect(r).toHaveLength(1);
    expect(r[0]!.op).toBe('reply');
    expect(r[0]!.text).toContain('还没有使用此功能的权限');
    expect(r[0]!.text).toContain('王主任');
    expect(r[0]!.text).toContain('绑定');
    expect(await bot.db.selectFrom('audit_log').selectAll().execute()).toEqual(auditBefore);
  });

  it('lets an admin bind a community staff member, who then sees only that community', async () => {
    const bound = await bot.say('admin', '绑定 @张三 社区 梅园社区');
    expect(textOf(bound)).toBe('已将 张三 绑定为社区（梅园社区）。');
    const r = await bot.say('张三', '进度');
    const text = cardText(r[0]!.card);
    expect(text).toContain('梅园社区物业管理全覆盖进度');
    expect(text).toContain('已入驻 **0/10**');
    expect(text).toContain('梅园社区');
    expect(text).not.toContain('紫薇社区');
    expect(text).not.toContain('丰泽社区');
    const other = await bot.say('张三', '进度 紫薇社区');
    expect(textOf(other)).toContain('只能查看梅园社区');
  });

  it('shows the whole street to an admin: 0 of 21 covered and all four communities', async () => {
    const r = await bot.say('admin', 'coverage progress');
    const text = cardText(r[0]!.card);
    expect(text).toContain('已入驻 **0/21**');
    for (const c of ['梅园社区', '紫薇社区', '丰泽社区', '东、西鲁社区']) expect(text).toContain(c);
    expect(text).toContain('本期报送');
    expect(text).toContain('10月1日（遇节假日提前至9月30日）');
  });

  it('answers wrong arguments with what was wrong and the usage line, and binds nothing', async () => {
    const r = await bot.say('admin', '绑定 社区 梅园社区');
    expect(textOf(r)).toContain('请 @ 一位要绑定的人');
    expect(textOf(r)).toContain('用法：绑定 @某人');
    const bad = await bot.say('admin', '绑定 @张三 社区 不存在社区');
    expect(textOf(bad)).toContain('本街道的社区有：梅园社区；紫薇社区；丰泽社区；东、西鲁社区');
    expect(await bot.db.selectFrom('role_bindings').selectAll().execute()).toEqual([]);
  });

  it('answers an unknown command with a did-you-mean and the help pointer', async () => {
    await bot.bind('李四', '街道');
    const r = await bot.say('李四', 'progres');
    expect(textOf(r)).toContain('您是不是想用：“进度”');
    expect(textOf(r)).toContain('帮助');
  });

  it('refuses admin commands to a non-admin, saying why', async () => {
    await bot.bind('李四', '街道');
    const r = await bot.say('李四', '绑定 @王五 领导');
    expect(textOf(r)).toContain('不在您的权限范围内');
    expect(await bot.db.selectFrom('role_bindings').select('open_id').where('open_id', '=', openIdOf('王五')).execute()).toEqual([]);
  });

  it('shows role and scope with 我是谁, and help lists what the person may do', async () => {
    await bot.bind('张三', '梅园社区');
    expect(textOf(await bot.say('张三', '我是谁'))).toContain('社区工作人员（梅园社区）');
    const help = textOf(await bot.say('张三', 'help'));
    expect(help).toContain('进度');
    expect(help).not.toContain('绑定群');
    const unbound = textOf(await bot.say('路人', '帮助'));
    expect(unbound).toContain('还没有绑定角色');
    expect(textOf(await bot.say('路人', '帮助 绑定'))).toContain('没有使用此命令的权限');
  });

  it('binds a group to a unit only from inside that group, and records it in the audit log', async () => {
    const dm = await bot.say('admin', '绑定群 专班');
    expect(textOf(dm)).toContain('请在要绑定的群里');
    await bot.bindChat('梅园社区工作群', '梅园社区');
    expect(textOf(await bot.say('admin', '我是谁', { chat: '梅园社区工作群' }))).toContain('本群是：梅园社区工作群');
    const audit = await bot.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'bindchat').execute();
    expect(audit).toEqual([{ action: 'bindchat', actor: 'ou_admin_test' }]);
  });

  it('unbinds a person, after which they are refused again', async () => {
    await bot.bind('张三', '社区 梅园社区');
    expect(textOf(await bot.say('admin', '解绑 @张三'))).toBe('已解除 张三 的角色。');
    expect(textOf(await bot.say('张三', '进度'))).toContain('还没有使用此功能的权限');
  });

  it('ignores a group message that neither mentions the bot nor replies to it', async () => {
    const r = await bot.say('admin', '进度', { chat: '专班群', mention: false });
    expect(r).toEqual([]);
    const row = await bot.db.selectFrom('inbox_events').select('status').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.status).toBe('ignored');
  });

  it('acts on a group reply to one of its own messages without a mention', async () => {
    const first = await bot.say('admin', '帮助', { chat: '专班群' });
    const r = await bot.say('admin', '进度', { chat: '专班群', mention: false, parentId: first[0]!.messageId });
    expect(cardText(r[0]!.card)).toContain('已入驻');
  });
});
