import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { cardLimitProblem } from '../../src/lark/card-limits.ts';
import { TODO_PAGE_SIZE } from '../../commands/todo.ts';
import { rebuildGrievanceTallies } from '../../src/domain/grievance-tallies.ts';

/** Issue 18: 待办 reads one page and a count, never every grievance; more than a page gets a card with 更多. */

/** Adds `count` open grievances about one compound of a community, in one transaction, numbered T9001…. */
async function addGrievances(bot: TestBot, compound: string, count: number): Promise<void> {
  const c = await bot.db.selectFrom('compounds').select('id').where('name', '=', compound).executeTakeFirstOrThrow();
  const dept = await bot.db.selectFrom('departments').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  const rows = Array.from({ length: count }, (_, i) => ({
    code: `T${9001 + i}`, compound_id: c.id, text: `第${i + 1}件：楼道灯坏了，业主电话13905321234`, kind: '投诉', department_id: dept.id, rule_code: null,
    status: '待受理', result: null, created_at: '2020-09-27T02:00:00.000Z', created_by: 'ou_bulk', source_chat: null, source_ref: null,
    accepted_at: null, resolved_at: null, accept_due_at: '2020-09-29T16:00:00.000Z', resolve_due_at: '2020-10-09T16:00:00.000Z', updated_at: null,
  }));
  await bot.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('grievances').values(rows.slice(i, i + 500)).execute();
  });
  await rebuildGrievanceTallies(bot.db);
}

let bot: TestBot;
beforeEach(async () => {
  bot = await createTestBot({ now: '2020-09-28T10:00:00+08:00' });
});
afterEach(async () => {
  await bot.stop();
  await bot.close();
});

const codesIn = (text: string) => [...text.matchAll(/T\d{4}/g)].map((m) => m[0]);

describe('待办 with more grievances than a page', () => {
  it('shows the newest page and the count on a card; 更多 opens the next pages; each card is within Lark’s limits', async () => {
    const total = 2 * TODO_PAGE_SIZE + 5;
    await addGrievances(bot, '福源公寓', total);
    const [first] = await bot.say('admin', '待办');
    expect(first!.card).not.toBeNull();
    expect(cardLimitProblem(first!.card!)).toBeNull();
    const text1 = cardText(first!.card);
    expect(text1).toContain(`未办结诉求（${total}件）`);
    expect(codesIn(text1).slice(0, 2)).toEqual([`T${9000 + total}`, `T${9000 + total - 1}`]);
    expect(codesIn(text1)).toHaveLength(TODO_PAGE_SIZE);
    const more = cardButtons(first!.card).find((b) => b.label.startsWith('更多'))!;
    expect(more.label).toContain('第 2/3 页');

    const second = (await bot.press('admin', more.value)).answer!.card!;
    expect(cardLimitProblem(second)).toBeNull();
    expect(codesIn(cardText(second))).toHaveLength(TODO_PAGE_SIZE);
    expect(codesIn(cardText(second))[0]).toBe(`T${9000 + total - TODO_PAGE_SIZE}`);
    const next = cardButtons(second).find((b) => b.label.startsWith('更多'))!;
    expect(next.label).toContain('第 3/3 页');
    const last = (await bot.press('admin', next.value)).answer!.card!;
    expect(codesIn(cardText(last))).toEqual(['T9005', 'T9004', 'T9003', 'T9002', 'T9001']);
    expect(cardButtons(last).some((b) => b.label.startsWith('更多'))).toBe(false);
  });

  it('pages a department’s list and a single status the same way', async () => {
    await addGrievances(bot, '福源公寓', TODO_PAGE_SIZE + 2);
    const [first] = await bot.say('admin', '待办 待受理');
    expect(cardText(first!.card)).toContain(`待受理诉求（${TODO_PAGE_SIZE + 2}件）`);
    const second = (await bot.press('admin', cardButtons(first!.card).find((b) => b.label.startsWith('更多'))!.value)).answer!.card!;
    expect(codesIn(cardText(second))).toEqual(['T9002', 'T9001']);
    const dept = (await bot.db.selectFrom('departments').select('name').orderBy('id').limit(1).executeTakeFirstOrThrow()).name;
    await bot.bind('部门员', `部门 ${dept}`);
    const [mine] = await bot.say('部门员', '待办');
    expect(cardText(mine!.card)).toContain(`（${TODO_PAGE_SIZE + 2}件）`);
    expect(codesIn(cardText(mine!.card))).toHaveLength(TODO_PAGE_SIZE);
  });

  it('masks phone numbers on the card in a group, keeps the scope of the presser, and counts 超期 in SQL', async () => {
    await addGrievances(bot, '福源公寓', TODO_PAGE_SIZE + 1);
    await bot.bind('张三', '社区 梅园社区');
    await bot.bind('李四', '社区 紫薇社区');
    const community = (await bot.db.selectFrom('compounds').innerJoin('communities', 'communities.id', 'compounds.community_id').select('communities.name').where('compounds.name', '=', '福源公寓').executeTakeFirstOrThrow()).name;
    const owner = community === '梅园社区' ? '张三' : '李四';
    const other = owner === '张三' ? '李四' : '张三';
    const [own] = await bot.say(owner, '待办', { chat: `${community}群` });
    expect(cardText(own!.card)).toContain('139****1234');
    expect(cardText(own!.card)).not.toContain('13905321234');
    // Someone of another community pressing the same button sees their own (empty) list.
    const pressed = await bot.press(other, cardButtons(own!.card).find((b) => b.label.startsWith('更多'))!.value);
    expect(pressed.answer!.toast?.content ?? '').toContain('目前没有未办结诉求');
    // Overdue: accept limits end on 30 September (Beijing); on 1 October they all are.
    expect(textOf(await bot.say('admin', '待办 超期'))).toContain('没有超期诉求');
    bot.clock.set('2020-10-01T10:00:00+08:00');
    expect(cardText((await bot.say('admin', '待办 超期'))[0]!.card)).toContain(`超期诉求（${TODO_PAGE_SIZE + 1}件）`);
  });

  it('answers in text as before when everything fits on one page', async () => {
    await addGrievances(bot, '福源公寓', 3);
    const [reply] = await bot.say('admin', '待办');
    expect(reply!.card).toBeNull();
    expect(codesIn(reply!.text!)).toEqual(['T9003', 'T9002', 'T9001']);
  });
});
