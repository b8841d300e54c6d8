import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { ManualClock } from '../../src/clock.ts';
import { type OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { chatIdOf, openIdOf } from '../support/harness.ts';
import { FakeLarkApi } from '../support/fake-lark.ts';
import { startLarkBot } from '../support/lark-bot.ts';
import { larkSay } from '../support/lark-chat.ts';

/** Four communities, each with its group and one staff member; the 专班 group; 郭振华, the street's responsible person. */
const UNITS = [
  { community: '梅园社区', group: '梅园群', staff: '小紫' },
  { community: '紫薇社区', group: '紫薇群', staff: '李四' },
  { community: '丰泽社区', group: '丰泽群', staff: '王五' },
  { community: '东、西鲁社区', group: '东西鲁群', staff: '赵六' },
] as const;

const say = larkSay;

describe('the escalation ladder of one report period, through the fake Open API (Must show 2)', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('confirmed before 13:00: nothing more; seen but silent: listed apart; never opened: DM and 加急; 加急 refused: a plain message; each step once across a restart at 15:00', async () => {
    const clock = new ManualClock('2020-09-28T10:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    fake.readPageLimit = 1; // read_users answers one reader per page: the client must follow page_token
    stops.push(() => fake.stop());
    const database: OpenedDatabase = openTestDatabase();
    stops.push(() => database.close());
    let bot = await startLarkBot({ fake, clock, database });
    let running = true;
    stops.push(async () => { if (running) await bot.stop(); });

    for (const u of UNITS) {
      await say(bot, 'admin', `绑定群 ${u.community}`, { chat: u.group });
      await say(bot, 'admin', `绑定 @${u.staff} 社区 ${u.community}`, { others: [u.staff] });
    }
    await say(bot, 'admin', '绑定群 专班', { chat: '专班群' });
    await say(bot, 'admin', '绑定 @郭振华 街道', { others: ['郭振华'] });
    const setUp = fake.deliveries.length;
    const at = async (iso: string) => {
      clock.set(iso);
      await bot.runtime.tick();
      await bot.runtime.settle();
    };
    const byGroup = new Map(UNITS.map((u) => [chatIdOf(u.group), u]));
    const sinceSetUp = () => fake.deliveries.slice(setUp);

    // 29 September 09:00: a prompt card in each group.
    await at('2020-09-29T09:00:00+08:00');
    const prompts = sinceSetUp().filter((d) => d.msgType === 'interactive');
    // One per group; different chats are sent concurrently, so their order is not fixed.
    expect(prompts.map((d) => byGroup.get(d.target)?.community).sort()).toEqual(UNITS.map((u) => u.community).sort());
    const promptOf = (community: string) => prompts.find((d) => byGroup.get(d.target)?.community === community)!.messageId;
    // 李四 and someone else in his group open the card; in 丰泽 only a non-staff member does; 赵六 never looks.
    fake.markRead(promptOf('紫薇社区'), 'ou_someone_else');
    fake.markRead(promptOf('紫薇社区'), openIdOf('李四'));
    fake.markRead(promptOf('丰泽社区'), 'ou_passer_by');

    // 30 September 09:00 reminders to all four; at 10:00 小紫 confirms for 梅园.
    await at('2020-09-30T09:00:00+08:00');
    clock.set('2020-09-30T10:00:00+08:00');
    await say(bot, '小紫', '报送', { chat: '梅园群' });
    // The 梅园 prompt card now says so in the group, without its 确认报送 button (PATCH of the bot's own card).
    const patched = fake.deliveries.filter((d) => d.kind === 'patch' && d.target === promptOf('梅园社区'));
    expect(patched).toHaveLength(1);
    expect(JSON.stringify(patched[0]!.content)).toContain('已由小紫于9月30日 10:00确认');
    expect(JSON.stringify(patched[0]!.content)).not.toContain('report.confirm');

    // 13:00: a direct message to the staff who have not opened the prompt: 王五 and 赵六, not 李四, not 小紫.
    const before13 = fake.deliveries.length;
    await at('2020-09-30T13:00:00+08:00');
    const dms = fake.deliveries.slice(before13);
    expect(dms.map((d) => `${d.receiveIdType}:${d.target}`).sort()).toEqual([`open_id:${openIdOf('王五')}`, `open_id:${openIdOf('赵六')}`].sort());
    const toWang = dms.find((d) => d.target === openIdOf('王五'))!;
    expect(String(toWang.content!.text)).toContain('王五您好！丰泽社区的10月1日调度表今天（9月30日）报送，目前尚未确认。');
    expect(String(toWang.content!.text)).toContain('群里的报送提醒卡片您还没有查看');
    expect(fake.calls.filter((c) => c.path.endsWith('/read_users')).length).toBeGreaterThanOrEqual(3);

    // 15:00, the bot restarts at the due minute: the first instance plans the step and dies before sending; the
    // second one finds the ledger written and the outbox pending, and sends each 加急 once.
    fake.failNext({ kind: 'status', status: 403, body: { code: 230027, msg: 'Lack of necessary permissions: urgent not allowed in this group' } }, 1, `/messages/${promptOf('东、西鲁社区')}/urgent_app`);
    clock.set('2020-09-30T15:00:00+08:00');
    await bot.runtime.scheduler.tick();
    await bot.stop();
    running = false;
    expect(fake.urgents).toEqual([]);
    bot = await startLarkBot({ fake, clock, database });
    running = true;
    const before15 = fake.deliveries.length;
    await at('2020-09-30T15:00:00+08:00');
    await at('2020-09-30T15:01:00+08:00');
    expect(fake.urgents).toEqual([{ messageId: promptOf('丰泽社区'), userIds: [openIdOf('王五')], at: expect.any(Number) }]);
    const urgentCalls = fake.calls.filter((c) => c.path.endsWith('/urgent_app'));
    // Two chats, sent concurrently: in either order.
    const byPath = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(urgentCalls.map((c) => [c.path, c.outcome, c.query.get('user_id_type'), c.body]).sort(byPath)).toEqual([
      [`/open-apis/im/v1/messages/${promptOf('丰泽社区')}/urgent_app`, 'ok', 'open_id', { user_id_list: [openIdOf('王五')] }],
      [`/open-apis/im/v1/messages/${promptOf('东、西鲁社区')}/urgent_app`, 'status 403', 'open_id', { user_id_list: [openIdOf('赵六')] }],
    ].sort(byPath));
    // The refused 加急 falls back to a plain message to 赵六; the 15:00 summary and draft go to the 专班 as before.
    const after15 = fake.deliveries.slice(before15);
    const fallback = after15.filter((d) => d.receiveIdType === 'open_id');
    expect(fallback.map((d) => d.target)).toEqual([openIdOf('赵六')]);
    expect(String(fallback[0]!.content!.text)).toContain('【加急】东、西鲁社区的10月1日调度表今天（9月30日）报送，至今尚未确认，17:00仍未确认的将报专班督办。');
    expect(after15.filter((d) => d.target === chatIdOf('专班群')).map((d) => d.msgType)).toEqual(['text', 'file']);

    // 17:00: the escalation names the street's responsible person and lists seen-but-silent apart from never-opened.
    const before17 = fake.deliveries.length;
    await at('2020-09-30T17:00:00+08:00');
    const escalation = fake.deliveries.slice(before17);
    expect(escalation.map((d) => d.target)).toEqual([chatIdOf('专班群')]);
    const text = String(escalation[0]!.content!.text);
    expect(text).toContain('截至17:00仍有 3 个社区未确认');
    expect(text).toContain(`已查看提醒、仍未确认（1）：\n- 紫薇社区 <at user_id="${openIdOf('李四')}">李四</at>`);
    expect(text).toContain(`未查看提醒（2）：\n- 丰泽社区 <at user_id="${openIdOf('王五')}">王五</at>\n- 东、西鲁社区 <at user_id="${openIdOf('赵六')}">赵六</at>`);
    expect(text).toContain(`请 <at user_id="${openIdOf('郭振华')}">郭振华</at> 督促落实`);
    expect(text).not.toContain('梅园社区');

    // Nothing else, nothing twice: over the whole day each step went out once.
    await at('2020-09-30T17:30:00+08:00');
    await at('2020-09-30T23:00:00+08:00');
    const all = sinceSetUp().filter((d) => d.kind === 'send');
    const uuids = all.map((d) => d.uuid);
    expect(new Set(uuids).size).toBe(uuids.length);
    const dmsTo = (name: string) => all.filter((d) => d.target === openIdOf(name)).length;
    expect([dmsTo('小紫'), dmsTo('李四'), dmsTo('王五'), dmsTo('赵六')]).toEqual([0, 0, 1, 2]);
    const toGroup = (g: string) => all.filter((d) => d.target === chatIdOf(g)).length;
    // Prompt and reminder in each community group (梅园's confirmation reply is a reply, not a send).
    expect(UNITS.map((u) => toGroup(u.group))).toEqual([2, 2, 2, 2]);
    expect(toGroup('专班群')).toBe(3);
    const ledger = await bot.runtime.db.selectFrom('reminder_ledger').select(['reminder_key', 'status']).where('reminder_key', 'like', 'report-%:2020-10-01:%').execute();
    const statusOf = (kind: string, community: string) => ledger.find((r) => r.reminder_key.startsWith(`${kind}:2020-10-01:community:`) && r.reminder_key.endsWith(`:${UNITS.findIndex((u) => u.community === community) + 1}`))?.status;
    expect(UNITS.map((u) => statusOf('report-direct', u.community))).toEqual(['skipped', 'skipped', 'sent', 'sent']);
    expect(UNITS.map((u) => statusOf('report-urgent', u.community))).toEqual(['skipped', 'skipped', 'sent', 'sent']);
  }, 60_000);

  it('without the read-receipt and 加急 scopes, the ladder still runs: everyone unconfirmed is messaged, plain messages stand in for 加急, and each refusal is logged once', async () => {
    const clock = new ManualClock('2020-09-28T10:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    stops.push(() => fake.stop());
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });
    const bot = await startLarkBot({ fake, clock, log: createLogger('info', sink) });
    stops.push(() => bot.stop());
    for (const u of UNITS.slice(1, 3)) {
      await say(bot, 'admin', `绑定群 ${u.community}`, { chat: u.group });
      await say(bot, 'admin', `绑定 @${u.staff} 社区 ${u.community}`, { others: [u.staff] });
    }
    await say(bot, 'admin', '绑定群 专班', { chat: '专班群' });
    // The app was never granted im:message:readonly nor im:message.urgent: Lark answers code 99991672 every time.
    fake.failNext({ kind: 'code', code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:message:readonly]' }, 50, '/read_users');
    fake.failNext({ kind: 'status', status: 400, body: { code: 99991672, msg: 'Access denied. One of the following scopes is required: [im:message.urgent]' } }, 50, '/urgent_app');
    const at = async (iso: string) => {
      clock.set(iso);
      await bot.runtime.tick();
      await bot.runtime.settle();
    };
    await at('2020-09-29T09:00:00+08:00');
    fake.markRead(fake.deliveries.find((d) => d.target === chatIdOf('紫薇群') && d.msgType === 'interactive')!.messageId, openIdOf('李四'));
    await at('2020-09-30T09:00:00+08:00');
    let mark = fake.deliveries.length;
    await at('2020-09-30T13:00:00+08:00');
    // Nobody's reading can be known, so both staff members get the direct message (李四 too, though he read it).
    expect(fake.deliveries.slice(mark).map((d) => d.target).sort()).toEqual([openIdOf('李四'), openIdOf('王五')].sort());
    expect(String(fake.deliveries[mark]!.content!.text)).toContain('群里已发送报送提醒卡片。');
    mark = fake.deliveries.length;
    await at('2020-09-30T15:00:00+08:00');
    const plain = fake.deliveries.slice(mark).filter((d) => d.receiveIdType === 'open_id');
    expect(plain.map((d) => d.target).sort()).toEqual([openIdOf('李四'), openIdOf('王五')].sort());
    expect(plain.every((d) => String(d.content!.text).startsWith('【加急】'))).toBe(true);
    expect(fake.urgents).toEqual([]);
    mark = fake.deliveries.length;
    await at('2020-09-30T17:00:00+08:00');
    const escalation = String(fake.deliveries.slice(mark).find((d) => d.target === chatIdOf('专班群'))!.content!.text);
    // One list, as before read receipts: nothing is claimed about who saw the prompt.
    expect(escalation).toContain(`仍有 4 个社区未确认：\n- 梅园社区（未绑定工作人员）\n- 紫薇社区 <at user_id="${openIdOf('李四')}">李四</at>`);
    expect(escalation).not.toContain('已查看提醒');
    const readWarnings = lines.filter((l) => l.includes('read receipts unavailable') && l.includes('"level":"warn"'));
    const urgentWarnings = lines.filter((l) => l.includes('Lark refused an action') && l.includes('"level":"warn"'));
    expect([readWarnings.length, urgentWarnings.length]).toEqual([1, 1]);
    expect(lines.some((l) => l.includes('outbox message given up'))).toBe(false);
  }, 60_000);

  it('sends the plain message to whoever Lark reports it could not make the 加急 reach, and to nobody else', async () => {
    const clock = new ManualClock('2020-09-28T10:00:00+08:00');
    const fake = await new FakeLarkApi(clock).start();
    stops.push(() => fake.stop());
    const bot = await startLarkBot({ fake, clock });
    stops.push(() => bot.stop());
    await say(bot, 'admin', '绑定群 丰泽社区', { chat: '丰泽群' });
    await say(bot, 'admin', '绑定 @王五 社区 丰泽社区', { others: ['王五'] });
    await say(bot, 'admin', '绑定 @陈七 社区 丰泽社区', { others: ['陈七'] });
    fake.unreachableUsers.add(openIdOf('王五'));
    for (const t of ['2020-09-29T09:00:00+08:00', '2020-09-30T15:00:00+08:00']) {
      clock.set(t);
      await bot.runtime.tick();
      await bot.runtime.settle();
    }
    const prompt = fake.deliveries.find((d) => d.target === chatIdOf('丰泽群') && d.msgType === 'interactive')!;
    expect(fake.urgents).toEqual([{ messageId: prompt.messageId, userIds: [openIdOf('陈七')], at: expect.any(Number) }]);
    const plain = fake.deliveries.filter((d) => d.receiveIdType === 'open_id' && String(d.content?.text ?? '').startsWith('【加急】'));
    expect(plain.map((d) => d.target)).toEqual([openIdOf('王五')]);
  }, 60_000);
});
