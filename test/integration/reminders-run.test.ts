import { describe, expect, it } from 'vitest';
import { createTestBot, openIdOf } from '../support/harness.ts';
import { cardButtons, cardText, type Sent } from '../support/recording-messenger.ts';
import { openTestDatabase } from '../support/test-database.ts';
import { beijing, scheduledSends, setUpReminderUnits, tickAt } from '../support/reminders.ts';

const at = (s: string) => Date.parse(`${s}+08:00`);

describe('reminders over three weeks of fake time', () => {
  it('sends every expected message exactly once from 28 September to 16 October, across a restart at a due minute', async () => {
    const database = openTestDatabase();
    let bot = await createTestBot({ now: '2020-09-28T08:00:00+08:00', database });
    await setUpReminderUnits(bot);
    const log: string[] = [];
    const all: Sent[] = [];
    const restartAt = at('2020-09-30T15:00:00');
    for (let t = at('2020-09-28T08:00:00'); t <= at('2020-10-16T18:00:00'); t += 15 * 60_000) {
      if (t === restartAt) {
        // The first instance goes down; a new one on the same database comes up exactly at the 15:00 summary.
        await bot.stop();
        bot = await createTestBot({ now: new Date(t).toISOString(), database });
      }
      if (t === at('2020-09-29T14:00:00')) {
        const r = await bot.say('张三', '报送', { chat: '梅园社区群' });
        expect(r.map((s) => s.text).join('')).toContain('已确认报送：梅园社区');
      }
      const sent = await tickAt(bot, new Date(t).toISOString());
      all.push(...sent);
      for (const s of scheduledSends(sent)) log.push(`${beijing(new Date(t))} ${s}`);
    }

    expect(log).toEqual([
      '09-29 09:00 report-prompt → 梅园社区群',
      '09-29 09:00 report-prompt → 紫薇社区群',
      // 梅园 confirmed on 29 September at 14:00: only 紫薇 is reminded.
      '09-30 09:00 report-reminder → 紫薇社区群',
      // Without read receipts (no Lark here), every staff member of an unconfirmed community is messaged directly.
      '09-30 13:00 report-direct → 李四',
      '09-30 15:00 report-summary → 专班群',
      '09-30 15:00 report-draft → 专班群',
      '09-30 17:00 report-escalation → 专班群',
      '10-14 09:00 report-prompt → 梅园社区群',
      '10-14 09:00 report-prompt → 紫薇社区群',
      '10-15 09:00 report-reminder → 梅园社区群',
      '10-15 09:00 report-reminder → 紫薇社区群',
      '10-15 13:00 report-direct → 张三',
      '10-15 13:00 report-direct → 李四',
      '10-15 15:00 report-summary → 专班群',
      '10-15 15:00 report-draft → 专班群',
      '10-15 17:00 report-escalation → 专班群',
    ]);
    // Nothing else went out, and no message twice; the 15:00 加急 are actions on the prompt cards.
    expect(all.filter((s) => s.op === 'send')).toHaveLength(16);
    const prompts = all.filter((s) => s.purpose === 'report-prompt');
    expect(all.filter((s) => s.op === 'urgent_app').map((s) => [s.target, s.userIds])).toEqual([
      [prompts[1]!.messageId, [openIdOf('李四')]],
      [prompts[2]!.messageId, [openIdOf('张三')]],
      [prompts[3]!.messageId, [openIdOf('李四')]],
    ]);
    expect(new Set(all.map((s) => s.uuid)).size).toBe(all.length);
    const outbox = await bot.db.selectFrom('outbox_messages').select(['status']).where('cause', 'like', 'job:%').execute();
    expect(outbox.map((r) => r.status)).toEqual(Array(19).fill('sent'));

    // What they say.
    const [promptMeiyuan] = all.filter((s) => s.purpose === 'report-prompt');
    const promptText = cardText(promptMeiyuan!.card);
    expect(promptText).toContain(`<at id=${openIdOf('张三')}></at>`);
    expect(promptText).toContain('9月30日（10月1日遇节假日提前）');
    expect(promptText).toContain('梅花园');
    const buttons = cardButtons(promptMeiyuan!.card);
    const meiyuan = await bot.db.selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id').select('compounds.id').where('communities.name', '=', '梅园社区').execute();
    expect(buttons.filter((b) => b.label === '更新').map((b) => b.value.c).sort()).toEqual(meiyuan.map((c) => c.id).sort());
    expect(buttons.filter((b) => b.label === '更新').every((b) => b.value.a === 'compound.open' && typeof b.value.c === 'number' && Object.keys(b.value).length === 2)).toBe(true);
    expect(buttons.find((b) => b.label === '确认报送')!.value).toMatchObject({ a: 'report.confirm', d: '2020-10-01' });

    const reminder = all.find((s) => s.purpose === 'report-reminder')!;
    expect(reminder.text).toContain(`<at user_id="${openIdOf('李四')}">李四</at>`);
    expect(reminder.text).toContain('紫薇社区尚未确认');

    const summary = all.find((s) => s.purpose === 'report-summary')!.text!;
    expect(summary).toContain('已确认（1）：梅园社区');
    expect(summary).toContain('未确认（3）：紫薇社区；丰泽社区；东、西鲁社区');
    expect(summary).toContain('数据待补');
    expect(summary).toContain(`<at user_id="${openIdOf('郭振华')}">郭振华</at>`);
    expect(summary).toContain('较上期（9月15日）变化');
    const draft = all.find((s) => s.purpose === 'report-draft')!;
    expect(draft.msgType).toBe('file');
    expect(draft.fileName).toBe('住宅小区物业管理全覆盖进展情况调度表-2020-10-01（草稿）.xlsx');
    expect(draft.fileData!.subarray(0, 2).toString()).toBe('PK');

    const escalation = all.find((s) => s.purpose === 'report-escalation')!.text!;
    expect(escalation).toContain('仍有 3 个社区未确认');
    expect(escalation).toContain(`紫薇社区 <at user_id="${openIdOf('李四')}">李四</at>`);
    expect(escalation).toContain('丰泽社区（未绑定工作人员）');
    expect(escalation).not.toContain('梅园社区');
    expect(escalation).toContain(`<at user_id="${openIdOf('郭振华')}">郭振华</at>`);

    // Communities without a group still count, but their prompts are skipped and noted in the ledger.
    const fengze = await bot.db.selectFrom('communities').select('id').where('name', '=', '丰泽社区').executeTakeFirstOrThrow();
    const row = await bot.db.selectFrom('reminder_ledger').selectAll().where('reminder_key', '=', `report-prompt:2020-10-01:community:${fengze.id}`).executeTakeFirstOrThrow();
    expect([row.status, row.detail]).toEqual(['skipped', 'no bound group']);

    await bot.stop();
    await database.close();
  }, 60_000);
});
