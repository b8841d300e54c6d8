import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCardAction, defineCommand, type FeatureModule } from '../../src/bot/command.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { createLogger } from '../../src/logger.ts';
import { features } from '../../commands/index.ts';
import { checkCallbackAnswer, checkCard, countCardElements } from '../support/card-rules.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { type LarkSession, sentTo, shown, startLarkSession } from '../support/lark-session.ts';

let s: LarkSession | null = null;
afterEach(async () => {
  await s?.stop();
  s = null;
});

const count = async (table: 'takeovers' | 'grievances') =>
  Number((await s!.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('issue 12.1: card-callback answers in Lark’s format', () => {
  it('answers with {toast, card: {type: "raw", data: <2.0 card>}}, and a repeated callback gets the same answer', async () => {
    s = await startLarkSession();
    const [card] = await s.say('admin', '小区 福源公寓');
    expect(card!.msgType).toBe('interactive');
    const save = cardButtons(card!.content).find((b) => b.label === '保存')!;
    const eventId = 'ev_card_format_1';
    const first = await s.press('admin', save.value, { card: card!, name: save.name, formValue: { category: '2' }, eventId });
    expect(first.status).toBe(200);
    expect(first.answer).toMatchObject({ toast: { type: 'success' }, card: { type: 'raw', data: { schema: '2.0' } } });
    expect(Object.keys(first.answer.card as object).sort()).toEqual(['data', 'type']);
    expect(checkCallbackAnswer(first.answer)).toEqual([]);
    expect(cardText((first.answer.card as { data: Record<string, unknown> }).data)).toContain('二类');

    const again = await s.press('admin', save.value, { card: card!, name: save.name, formValue: { category: '2' }, eventId });
    expect(again.answer).toEqual(first.answer);
  });

  it('answers a press that changes no card with a toast alone', async () => {
    s = await startLarkSession({ now: '2020-10-13T18:00:00+08:00' });
    await s.bindChat('梅园社区群', '梅园社区');
    await s.bind('张三', '社区 梅园社区');
    s.clock.set('2020-10-14T09:00:00+08:00');
    await s.bot.runtime.tick();
    await s.bot.runtime.settle();
    const prompt = sentTo(s.fake.deliveries, '梅园社区群').find((d) => d.msgType === 'interactive')!;
    const r = await s.press('张三', cardButtons(prompt.content).find((b) => b.label === '确认报送')!.value, { card: prompt });
    expect(r.answer).toEqual({ toast: { type: 'success', content: expect.stringContaining('已确认报送') } });
  });
});

/** The notice's campaign with 100 more compounds in 梅园社区, as a city community has. */
function cityCommunityCampaign(): string {
  const base = loadCampaignFile();
  const extra = Array.from({ length: 100 }, (_, i) => ({ name: `梅园新村${i + 1}号院`, community: '梅园社区', track: 'coverage' as const, aliases: [] }));
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-city-')), 'campaign.json');
  fs.writeFileSync(file, JSON.stringify({ ...base, code: 'city-community', compounds: [...base.compounds, ...extra] }));
  return file;
}

describe('issue 12.2: card limits', () => {
  it('pages the report prompt of a community with 112 compounds; every page is a card Lark accepts', async () => {
    s = await startLarkSession({ now: '2020-10-13T18:00:00+08:00', env: { CAMPAIGN_FILE: cityCommunityCampaign() } });
    await s.bindChat('梅园社区群', '梅园社区');
    await s.bind('张三', '社区 梅园社区');
    s.clock.set('2020-10-14T09:00:00+08:00');
    await s.bot.runtime.tick();
    await s.bot.runtime.settle();
    const prompt = sentTo(s.fake.deliveries, '梅园社区群').find((d) => d.msgType === 'interactive')!;
    expect(prompt).toBeDefined();
    expect(s.fake.refusals).toEqual([]);
    expect(countCardElements(prompt.content)).toBeLessThanOrEqual(200);
    const first = cardText(prompt.content);
    expect(first).toContain('112 个小区');
    expect(first).toContain('第 1/8 页');
    expect(first).toContain('梅花园');
    expect(first).not.toContain('梅园新村100号院');

    // Turn to the last page and back; each answer is a valid card in place of the prompt.
    let page = prompt.content!;
    const seen = new Set<string>();
    for (let i = 0; i < 7; i++) {
      const next = cardButtons(page).find((b) => b.label.startsWith('下一页'))!;
      const r = await s.press('张三', next.value, { card: prompt });
      expect(checkCallbackAnswer(r.answer)).toEqual([]);
      page = (r.answer.card as { data: Record<string, unknown> }).data;
      for (const b of cardButtons(page).filter((x) => x.label === '更新')) seen.add(JSON.stringify(b.value));
    }
    expect(cardText(page)).toContain('第 8/8 页');
    expect(cardText(page)).toContain('梅园新村100号院');
    expect(cardButtons(page).some((b) => b.label.startsWith('下一页'))).toBe(false);
    expect(cardButtons(page).map((b) => b.label)).toEqual(expect.arrayContaining(['上一页', '确认报送']));
    expect(seen.size).toBe(112 - 15);

    // 更新 on a later page opens that compound's card.
    const update = cardButtons(page).find((b) => b.label === '更新')!;
    const opened = await s.press('张三', update.value, { card: prompt });
    expect(opened.answer.toast).toMatchObject({ content: expect.stringContaining('梅园新村') });
    expect(opened.sent.some((d) => d.msgType === 'interactive' && shown(d).includes('梅园新村'))).toBe(true);
  });

  it('summarises 进度 for a street of 30 communities, with a button that lists them all, a page at a time', async () => {
    const base = loadCampaignFile();
    const communities = Array.from({ length: 30 }, (_, i) => ({ name: `第${i + 1}社区`, aliases: [] }));
    const compounds = communities.flatMap((c, i) => [{ name: `${c.name}甲小区`, community: c.name, track: 'coverage' as const, aliases: [] }, { name: `${c.name}乙小区${i}`, community: c.name, track: 'upgrade' as const, aliases: [] }]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-street-')), 'campaign.json');
    fs.writeFileSync(file, JSON.stringify({ ...base, code: 'street-30', communities, compounds }));
    s = await startLarkSession({ env: { CAMPAIGN_FILE: file } });
    const [overview] = await s.say('admin', '进度');
    expect(cardText(overview!.content)).toContain('其余 20 个社区');
    const all = cardButtons(overview!.content).find((b) => b.label === '查看全部 30 个社区')!;
    const first = await s.press('admin', all.value, { card: overview! });
    const page1 = (first.answer.card as { data: Record<string, unknown> }).data;
    expect(cardText(page1)).toContain('共 30 个社区，第 1/2 页');
    expect(cardText(page1)).toContain('**第1社区**');
    expect(cardText(page1)).not.toContain('**第26社区**');
    const second = await s.press('admin', cardButtons(page1).find((b) => b.label.startsWith('下一页'))!.value, { card: overview! });
    const page2 = (second.answer.card as { data: Record<string, unknown> }).data;
    expect(cardText(page2)).toContain('**第30社区**');
    const back = await s.press('admin', cardButtons(page2).find((b) => b.label === '返回总览')!.value, { card: overview! });
    expect(cardText((back.answer.card as { data: Record<string, unknown> }).data)).toContain('其余 20 个社区');
  });

  it('refuses a 12,002-character company name, in a message and in the compound card’s form, and writes nothing', async () => {
    s = await startLarkSession();
    const long = `${'鑫'.repeat(11_998)}物业公司`;
    expect([...long]).toHaveLength(12_002);
    const before = await count('takeovers');
    const [reply] = await s.say('admin', `入驻 福源公寓 ${long} 外聘 9月20日`);
    expect(reply!.msgType).toBe('text');
    // Refused before anything is read: the message is past what the reader looks at (or the field past its limit).
    expect(shown(reply!)).toMatch(/物业企业名称过长（12002 字，最多 50 字）|您的消息较长/);
    expect(shown(reply!)).toContain('未作记录');
    expect(await count('takeovers')).toBe(before);

    const [card] = await s.say('admin', '小区 福源公寓');
    const save = cardButtons(card!.content).find((b) => b.label === '保存')!;
    const r = await s.press('admin', save.value, { card: card!, name: save.name, formValue: { nature: '外聘', startDate: '2020-09-20', company: long } });
    expect(r.answer).toEqual({ toast: { type: 'error', content: expect.stringContaining('物业企业名称过长') } });
    expect(await count('takeovers')).toBe(before);
    expect(s.fake.refusals).toEqual([]);
  });

  it('refuses a grievance text over 1000 characters instead of cutting it, and writes nothing', async () => {
    s = await startLarkSession();
    const [reply] = await s.say('admin', `投诉 锦绣花园 电梯坏了${'，'.repeat(1000)}`);
    expect(shown(reply!)).toMatch(/诉求内容(过长|较长)/);
    expect(shown(reply!)).toMatch(/未作登记/);
    expect(await count('grievances')).toBe(0);
  });

  it('never sends a card over a limit: the guard logs an error and sends a short text, or a short card in a callback answer', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
    const huge = (n: number) => ({
      schema: '2.0', config: { update_multi: true }, header: { title: { tag: 'plain_text', content: '超大卡片' } },
      body: { elements: Array.from({ length: n }, (_, i) => ({ tag: 'markdown', content: `第${i + 1}行` })) },
    });
    const oversize: FeatureModule = {
      commands: [defineCommand({
        name: '超大卡片', aliases: ['hugecard'], summary: 't', usage: '超大卡片', examples: [], access: 'anyone', args: z.object({}),
        async handler(ctx) {
          await ctx.reply({ type: 'card', card: huge(201) });
        },
      })],
      cardActions: [defineCardAction({
        kind: 'test.huge', value: z.object({ a: z.literal('test.huge') }),
        async handler() {
          return { toast: { type: 'info', content: '好' }, card: huge(250) };
        },
      })],
    };
    expect(checkCard(huge(201)).map((p) => p.sub)).toContain(11310);
    s = await startLarkSession({ features: [...features, oversize], log: createLogger('error', sink) });
    const [reply] = await s.say('admin', '超大卡片');
    expect(reply!.msgType).toBe('text');
    expect(shown(reply!)).toContain('“超大卡片”内容较多，超出了飞书卡片的显示上限');
    expect(s.fake.refusals).toEqual([]);
    expect(lines.some((l) => l.includes('card over Lark limits not sent') && l.includes('"level":"error"'))).toBe(true);

    const r = await s.press('admin', { a: 'test.huge' }, { card: reply! });
    expect(checkCallbackAnswer(r.answer)).toEqual([]);
    expect(cardText((r.answer.card as { data: Record<string, unknown> }).data)).toContain('超出了飞书卡片的显示上限');
  });
});

describe('issue 12.3: markdown from users stays text', () => {
  it('escapes what a resident wrote (links, mentions, emphasis, backslashes) as HTML entities in the department’s card', async () => {
    s = await startLarkSession();
    await s.bindChat('市场监管局群', '区市场监管局');
    const text = '电梯坏了 \\[点我\\](http://evil.example) [领红包](http://evil.example) <at id=all></at> **加急** a_b_c `x` # 标题';
    await s.say('admin', `投诉 锦绣花园 ${text}`);
    const card = sentTo(s.fake.deliveries, '市场监管局群').find((d) => d.msgType === 'interactive')!;
    expect(s.fake.refusals).toEqual([]);
    const markdowns = JSON.stringify(card.content);
    expect(markdowns).not.toMatch(/\]\(|<at id=all|\\\\\[|\*\*加急|`x`/);
    expect(markdowns).toContain('&#92;&#91;点我&#92;&#93;&#40;http&#58;//evil.example&#41;');
    expect(markdowns).toContain('&#60;at id&#61;all&#62;');
    // What people read is what the resident wrote.
    expect(cardText(card.content)).toContain(text);
  });
});

describe('issue 12.4: rich-text (post) messages', () => {
  const post = (content: unknown) => (ev: { event: { message: { message_type: string; content: string } } }) => {
    ev.event.message.message_type = 'post';
    ev.event.message.content = JSON.stringify(content);
  };

  it('reads a post that @-mentions the bot as text, lines joined by newlines', async () => {
    s = await startLarkSession();
    const [reply] = await s.say('admin', '', {
      chat: '专班群',
      edit: post({ title: '', content: [[{ tag: 'at', user_id: '@_user_1', user_name: '物业全覆盖助手' }, { tag: 'text', text: ' 进度' }]] }),
    });
    expect(reply!.kind).toBe('reply');
    expect(shown(reply!)).toContain('已入驻');

    const [two] = await s.say('admin', '', {
      chat: '专班群',
      edit: post({ zh_cn: { title: '情况报告', content: [[{ tag: 'at', user_id: '@_user_1' }, { tag: 'text', text: '入驻 福源公寓' }], [{ tag: 'text', text: '鑫安物业 外聘 9月20日' }], [{ tag: 'img', image_key: 'img_1' }]] } }),
    });
    expect(shown(two!)).toContain('已记录：福源公寓');
    expect(shown(two!)).toContain('鑫安物业');
  });

  it('says politely what it cannot read (image, file, audio, sticker, media) and writes nothing', async () => {
    s = await startLarkSession();
    const kinds: [string, string][] = [['image', '图片'], ['file', '文件'], ['audio', '语音'], ['sticker', '表情'], ['media', '视频']];
    for (const [type, word] of kinds) {
      const [reply] = await s.say('admin', '', {
        edit: (ev) => {
          ev.event.message.message_type = type;
          ev.event.message.content = JSON.stringify(type === 'image' ? { image_key: 'img_v3_x' } : { file_key: 'file_v3_x' });
        },
      });
      expect(shown(reply!)).toBe(`暂不支持识别${word}，请用文字发送。`);
    }
    const [onlyImage] = await s.say('admin', '', { edit: post({ title: '', content: [[{ tag: 'img', image_key: 'img_1' }]] }) });
    expect(shown(onlyImage!)).toBe('暂不支持识别图片，请用文字发送。');
    const audit = await s.db.selectFrom('audit_log').select('action').execute();
    expect(audit.filter((a) => a.action !== 'role.bind')).toEqual([]);
  });
});
