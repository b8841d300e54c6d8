import { afterEach, describe, expect, it } from 'vitest';
import { FAKE_BOT_OPEN_ID } from '../support/fake-lark.ts';
import type { Delivery } from '../support/fake-lark.ts';
import { chatIdOf, openIdOf } from '../support/harness.ts';
import { messageEvent, signedRequest, cardEvent } from '../support/lark-events.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { type LarkSession, shown, startLarkSession } from '../support/lark-session.ts';
import { liveTextMarkup } from '../support/text-rules.ts';

let s: LarkSession | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

async function grievanceSession(env?: Record<string, string>): Promise<LarkSession> {
  const session = await startLarkSession({ env });
  await session.bind('紫薇员', '社区 紫薇社区');
  await session.bind('监管员', '部门 区市场监管局');
  await session.bindChat('紫薇群', '紫薇社区');
  await session.bindChat('市场监管局群', '区市场监管局');
  return session;
}

/** Every delivery that landed in one of these groups: sends to it, and replies to messages written in it. */
function inGroups(session: LarkSession, deliveries: Delivery[], groups: string[]): Delivery[] {
  const ids = new Set(groups.map(chatIdOf));
  return deliveries.filter((d) => ids.has(session.chatOf(d)));
}

describe('issue 12.6: user text in text messages is inert', () => {
  it('lets no <at user_id="all">, <at id=all>, link or style typed by a user reach a chat as markup: 投诉, 办结 and the direct message after it', async () => {
    s = await grievanceSession();
    const evil = '<at user_id="all"></at> <at id=all></at> [点这里](http://evil.example) <b>加粗</b> &lt;at user_id="all"&gt;';
    const recorded = await s.say('紫薇员', `投诉 锦绣花园 电梯坏了 ${evil}`, { chat: '紫薇群' });
    const resolved = await s.say('监管员', `办结 T0001 已修复 ${evil}`, { chat: '市场监管局群' });
    const texts = [...recorded, ...resolved].filter((d) => d.msgType === 'text');
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const d of texts) expect(liveTextMarkup(shown(d)), shown(d)).toEqual([]);
    const dm = resolved.find((d) => d.kind === 'send' && d.receiveIdType === 'open_id' && d.target === openIdOf('紫薇员'))!;
    expect(shown(dm)).toContain('已办结');
    expect(shown(dm)).toContain('＜at user_id="all">');
    expect(shown(dm)).toContain('［点这里］（http://evil.example)');
    // The record keeps exactly what was written.
    const row = await s.db.selectFrom('grievances').select(['text', 'result']).executeTakeFirstOrThrow();
    expect(row.text).toBe(`电梯坏了 ${evil}`);
    expect(row.result).toBe(`已修复 ${evil}`);
    expect(s.fake.refusals).toEqual([]);
  });

  it('still mentions bound people for real in its own reminders', async () => {
    s = await startLarkSession({ now: '2020-10-14T08:00:00+08:00' });
    await s.bindChat('梅园社区群', '梅园社区');
    await s.bind('张三', '社区 梅园社区');
    s.clock.set('2020-10-15T09:00:00+08:00');
    await s.bot.runtime.tick();
    await s.bot.runtime.settle();
    const reminder = s.fake.deliveries.find((d) => d.msgType === 'text' && d.target === chatIdOf('梅园社区群'))!;
    expect(liveTextMarkup(shown(reminder))).toEqual([`<at user_id="${openIdOf('张三')}">`, '</at>']);
  });
});

describe('issue 12.7: phones never whole in groups', () => {
  const PHONES = ['１３９０５３２１２３４', '(0632)8869917', '0632 8869917', '139.0532.1234', '（0632）8869918', '13905321235'];
  const whole = (text: string) => text.normalize('NFKC').replace(/[\s().（）-]/g, '');
  const leaks = (text: string) => ['13905321234', '06328869917', '06328869918', '13905321235'].filter((n) => whole(text).includes(n));

  it('masks full-width, bracketed, spaced and dotted numbers in grievance texts, results, 待办 and cards in groups; direct chats and the record keep them', async () => {
    s = await grievanceSession();
    const text = `电梯困人，业主${PHONES[0]}，物业${PHONES[1]}，居委会${PHONES[2]}，另一位${PHONES[3]}，还有${PHONES[4]}`;
    const all: Delivery[] = [];
    const say = async (person: string, t: string, chat?: string) => {
      const r = await s!.say(person, t, chat ? { chat } : {});
      all.push(...r);
      return r;
    };
    await say('紫薇员', `投诉 锦绣花园 ${text}`, '紫薇群');
    await say('紫薇员', '待办', '紫薇群');
    await say('监管员', '受理 T0001', '市场监管局群');
    await say('监管员', `办结 T0001 已联系${PHONES[5]}处理`, '市场监管局群');
    await say('紫薇员', '待办 全部', '紫薇群');
    const groupMessages = inGroups(s, all, ['紫薇群', '市场监管局群']);
    expect(groupMessages.length).toBeGreaterThanOrEqual(6);
    for (const d of groupMessages) expect(leaks(shown(d)), shown(d)).toEqual([]);
    expect(groupMessages.some((d) => shown(d).includes('139****1234'))).toBe(true);
    expect(groupMessages.some((d) => shown(d).includes('0632-****917'))).toBe(true);

    // In a direct chat and in the record the numbers stay whole.
    const direct = await say('紫薇员', '待办 全部');
    // (待办 shows the first 40 characters of each grievance.)
    expect(leaks(shown(direct[0]!))).toEqual(expect.arrayContaining(['13905321234', '06328869917']));
    const row = await s.db.selectFrom('grievances').select(['text', 'result']).executeTakeFirstOrThrow();
    expect(row.text).toBe(text);
    expect(row.result).toBe(`已联系${PHONES[5]}处理`);
  });

  it('knows a card in an unbound group is in a group: 保存 and the compound-open button answer with masked phones; in a direct chat they are whole', async () => {
    s = await startLarkSession();
    await s.say('admin', '入驻 福源公寓 鑫安物业 外聘 9月20日 负责人王强 13905321234');
    const [inGroup] = await s.say('admin', '小区 福源公寓', { chat: '未绑定的工作群' });
    expect(leaks(JSON.stringify(inGroup!.content))).toEqual([]);
    const save = cardButtons(inGroup!.content).find((b) => b.label === '保存')!;
    const saved = await s.press('admin', save.value, { card: inGroup!, name: save.name, formValue: { category: '2' } });
    const answerCard = (saved.answer.card as { data: Record<string, unknown> }).data;
    expect(cardText(answerCard)).toContain('139****1234');
    expect(leaks(JSON.stringify(answerCard))).toEqual([]);

    const compound = await s.db.selectFrom('compounds').select('id').where('name', '=', '福源公寓').executeTakeFirstOrThrow();
    const opened = await s.press('admin', { a: 'compound.open', c: compound.id }, { card: inGroup! });
    const newCard = opened.sent.find((d) => d.msgType === 'interactive')!;
    expect(newCard.target).toBe(chatIdOf('未绑定的工作群'));
    expect(cardText(newCard.content)).toContain('139****1234');
    expect(leaks(JSON.stringify(newCard.content))).toEqual([]);

    // A card the bot has no record of (e.g. sent before chat types were recorded) counts as a group's.
    const unknown = await s.press('admin', save.value, { card: { ...inGroup!, messageId: 'om_unknown_card' }, name: save.name, formValue: {} });
    expect(leaks(JSON.stringify(unknown.answer))).toEqual([]);

    const [direct] = await s.say('admin', '小区 福源公寓');
    const directSave = cardButtons(direct!.content).find((b) => b.label === '保存')!;
    const inDirect = await s.press('admin', directSave.value, { card: direct!, name: directSave.name, formValue: { category: '3' } });
    expect(cardText((inDirect.answer.card as { data: Record<string, unknown> }).data)).toContain('13905321234');
  });
});

describe('issue 12.8: control and direction characters', () => {
  it('strips NUL, BEL, ANSI escapes and bidi overrides from messages and card form values before anything is stored or echoed', async () => {
    s = await startLarkSession();
    const dirty = '电梯\u0000坏了\u0007 \u001b[31m红色\u001b[0m \u202e反向\u202c \u2066隔离\u2069\u200f';
    const replies = await s.say('admin', `投诉 锦绣花园 ${dirty}`);
    const row = await s.db.selectFrom('grievances').select('text').executeTakeFirstOrThrow();
    expect(row.text).toBe('电梯坏了 红色 反向 隔离');
    const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
    for (const d of replies) expect(bad.test(JSON.stringify(d.content ?? {}).replace(/\\u00[0-9a-f]{2}/gi, (m) => String.fromCharCode(parseInt(m.slice(2), 16))))).toBe(false);

    const [card] = await s.say('admin', '小区 福源公寓');
    const save = cardButtons(card!.content).find((b) => b.label === '保存')!;
    await s.press('admin', save.value, { card: card!, name: save.name, formValue: { nature: '外聘', startDate: '2020-09-20', company: '鑫安\u202e物业\u0000\u001b[2J', manager: '王\u0007强' } });
    const t = await s.db.selectFrom('takeovers').select(['company', 'manager']).executeTakeFirstOrThrow();
    expect(t).toEqual({ company: '鑫安物业', manager: '王强' });
  });
});

describe('issue 12.9: loops and tenants', () => {
  it('ignores a message whose sender is the bot itself, even when sender_type says user', async () => {
    s = await startLarkSession();
    const ev = messageEvent({ senderOpenId: FAKE_BOT_OPEN_ID, text: '进度', botOpenId: FAKE_BOT_OPEN_ID, chatType: 'p2p', chatId: 'oc_self', mentionBot: false });
    expect(ev.event.sender.sender_type).toBe('user');
    expect((await s.bot.post('/webhook/event', signedRequest(ev))).status).toBe(200);
    await s.bot.runtime.settle();
    expect(s.fake.deliveries).toEqual([]);
    const row = await s.db.selectFrom('inbox_events').select('status').where('event_id', '=', ev.header.event_id).executeTakeFirstOrThrow();
    expect(row.status).toBe('ignored');
  });

  it('with LARK_TENANT_KEY set, answers events and callbacks of another tenant 200 and stores nothing; its own tenant is served', async () => {
    s = await startLarkSession({ env: { LARK_TENANT_KEY: '2ca1d211f64f6438' } });
    const inbox = async () => Number((await s!.db.selectFrom('inbox_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const other = messageEvent({ senderOpenId: openIdOf('外人'), text: '进度', botOpenId: FAKE_BOT_OPEN_ID, chatType: 'p2p', chatId: 'oc_other' });
    other.header.tenant_key = 'tenant_of_someone_else';
    const res = await s.bot.post('/webhook/event', signedRequest(other));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const card = cardEvent({ operatorOpenId: openIdOf('外人'), value: { a: 'compound.open', c: 1 } });
    card.header.tenant_key = 'tenant_of_someone_else';
    const cardRes = await s.bot.post('/webhook/card', signedRequest(card));
    expect(cardRes.status).toBe(200);
    expect(await cardRes.json()).toEqual({});
    await s.bot.runtime.settle();
    expect(await inbox()).toBe(0);
    expect(s.fake.deliveries).toEqual([]);

    const [reply] = await s.say('admin', '进度');
    expect(shown(reply!)).toContain('已入驻');
    expect(await inbox()).toBe(1);
  });
});
