import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createTestBot, textOf, type TestBot } from '../support/harness.ts';
import { cardButtons, cardText } from '../support/recording-messenger.ts';
import { grievanceRow, toChat } from '../support/grievance-setup.ts';
import { FakeLlm } from '../support/fake-llm.ts';

/** An unsure grievance in the default campaign: the rules match nothing and the classifier is below its bar. */
const UNSURE = '投诉 福源公寓 门口那棵树快倒了，居民电话13905321234';

describe('the optional routing model (an OpenAI-compatible endpoint)', () => {
  let llm: FakeLlm;
  let bot: TestBot | null;
  let lines: string[];
  beforeEach(async () => {
    llm = await new FakeLlm().start();
    bot = null;
    lines = [];
  });
  afterEach(async () => {
    if (bot) {
      await bot.stop();
      await bot.close();
    }
    await llm.stop();
  });

  async function start(env: Record<string, string>): Promise<TestBot> {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    bot = await createTestBot({ now: '2020-10-12T10:00:00+08:00', env, log: createLogger('info', sink) });
    await bot.bind('梅园员', '社区 梅园社区');
    await bot.bind('街道员', '街道');
    await bot.bindChat('街道群', '街道');
    await bot.bindChat('公安群', '区公安分局');
    bot.messenger.clear();
    return bot;
  }

  const on = (extra: Record<string, string> = {}) => ({ LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'office-qwen', LLM_API_KEY: 'sk-test-key-123', ...extra });

  async function modelState(b: TestBot, code: string) {
    const g = await grievanceRow(b, code);
    return b.db.selectFrom('grievance_routes').selectAll().where('grievance_id', '=', g.id).executeTakeFirstOrThrow();
  }

  it('is off by default: nothing is asked and nothing is pending', async () => {
    const b = await start({});
    expect(textOf(await b.say('梅园员', UNSURE))).toContain('未能确定职责部门');
    expect(llm.calls).toHaveLength(0);
    expect((await modelState(b, 'T0001')).model_state).toBeNull();
  });

  it('is asked only when routing is unsure, after the grievance is committed, and only suggests: a person presses', async () => {
    const b = await start(on());
    const asked = llm.calls.length;
    // While the bot waits for the model, the database is free (no transaction is held open across the call) and
    // the grievance and the reply to its recorder are already committed.
    const seenWhileAsking: { grievance: boolean; reply: boolean }[] = [];
    llm.beforeAnswer = async () => {
      const g = await b.db.selectFrom('grievances').select('id').where('code', '=', 'T0002').executeTakeFirst();
      const reply = await b.db.selectFrom('outbox_messages').select('uuid').where('op', '=', 'reply').where('content', 'like', '%T0002%').executeTakeFirst();
      seenWhileAsking.push({ grievance: g !== undefined, reply: reply !== undefined });
    };

    // A sure grievance (a keyword) is not put to the model.
    await b.say('梅园员', '投诉 福源公寓 3号楼电梯坏了');
    expect(llm.calls).toHaveLength(asked);
    expect((await modelState(b, 'T0001')).model_state).toBeNull();

    llm.behaviour = { kind: 'answer', content: '好的：```json\n{"department":"区公安分局","reason":"树木倒伏危及行人安全"}\n```' };
    const sent = await b.say('梅园员', UNSURE, { chat: '梅园群' });
    expect(llm.calls).toHaveLength(asked + 1);
    const call = llm.calls.at(-1)!;
    expect(seenWhileAsking).toEqual([{ grievance: true, reply: true }]);
    expect(call.auth).toBe('Bearer sk-test-key-123');
    expect(call.body.model).toBe('office-qwen');
    const question = JSON.stringify(call.body.messages);
    expect(question).toContain('门口那棵树快倒了');
    expect(question).toContain('区公安分局');
    expect(question).not.toContain('13905321234');

    // The grievance stays with the street; the suggestion comes as a card whose buttons a person presses.
    expect(textOf(sent.filter((s) => s.op === 'reply'))).toContain('已交山城街道办事处人工分派');
    const street = toChat(sent, '街道群');
    expect(street).toHaveLength(2);
    const advice = street[1]!.card!;
    expect(cardText(advice)).toContain('智能研判建议：区公安分局（树木倒伏危及行人安全）');
    expect(cardText(advice)).toContain('仅供参考');
    const buttons = cardButtons(advice);
    expect(buttons[0]!.label).toBe('建议：转至区公安分局');
    const row = await grievanceRow(b, 'T0002');
    expect(row.status).toBe('待受理');
    expect((await b.db.selectFrom('departments').select('name').where('id', '=', row.department_id!).executeTakeFirstOrThrow()).name).toBe('山城街道办事处');
    expect(await modelState(b, 'T0002')).toMatchObject({ model_state: 'done', model_reason: '树木倒伏危及行人安全' });

    const pressed = await b.press('街道员', buttons[0]!.value, { chat: '街道群' });
    expect(pressed.answer?.toast?.content).toBe('已分派至区公安分局');
    expect(toChat(pressed.sent, '公安群')).toHaveLength(1);
    // The grievance card, drawn again, puts the suggestion first too.
    expect(cardText(street[0]!.card!)).toContain('请选择职责部门');
  });

  it('falls back silently on a timeout, an error, a reply that is not a completion, or a department not in the campaign', async () => {
    const b = await start(on({ LLM_TIMEOUT_MS: '300' }));
    const behaviours = [
      { kind: 'hang' },
      { kind: 'status', status: 500 },
      { kind: 'raw', body: '<html>gateway</html>' },
      { kind: 'answer', content: '{"department":"区教育局","reason":"学校"}' },
      { kind: 'answer', content: '我认为应该交给公安' },
    ] as const;
    for (const [i, behaviour] of behaviours.entries()) {
      llm.behaviour = behaviour;
      const sent = await b.say('梅园员', UNSURE, { chat: '梅园群' });
      const code = `T000${i + 1}`;
      expect(textOf(sent.filter((s) => s.op === 'reply'))).toContain(`已登记诉求 ${code}`);
      expect(toChat(sent, '街道群')).toHaveLength(1);
      expect((await modelState(b, code)).model_state).toBe('failed');
      expect(cardButtons(toChat(sent, '街道群')[0]!.card!).filter((x) => x.label.startsWith('转至'))).toHaveLength(3);
    }
    const warnings = lines.filter((l) => l.includes('"level":"warn"') && l.includes('routing model'));
    expect(warnings.length).toBe(behaviours.length);
    for (const l of lines) {
      expect(l).not.toContain('门口那棵树');
      expect(l).not.toContain('sk-test-key-123');
      expect(l).not.toContain('13905321234');
    }
  });

  it('refuses a half-configured model at start, naming the missing variable', async () => {
    await expect(createTestBot({ env: { LLM_BASE_URL: llm.baseUrl } })).rejects.toThrow(/LLM_MODEL/);
  });
});
