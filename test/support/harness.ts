import crypto from 'node:crypto';
import { ManualClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import type { OpenedDatabase } from '../../src/db/connect.ts';
import { openTestDatabase } from './test-database.ts';
import { features as allFeatures } from '../../commands/index.ts';
import type { FeatureModule } from '../../src/bot/command.ts';
import type { CardAction, CardResponse, IncomingMessage, Mention } from '../../src/bot/types.ts';
import { storeEvents } from '../../src/db/inbox-store.ts';
import { Pacer } from '../../src/outbox/pacer.ts';
import { RecordingMessenger, type Sent, cardText } from './recording-messenger.ts';
import { larkCallbackAnswer } from '../../src/lark/card-answer.ts';
import { checkCallbackAnswer, describeProblems } from './card-rules.ts';
import { reportViolation } from './strict.ts';

export const ADMIN = 'ou_admin_test';

/** A stable open_id for a test person. */
export function openIdOf(name: string): string {
  return `ou_t_${crypto.createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}
export function chatIdOf(name: string): string {
  return `oc_t_${crypto.createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

export interface TestBotOptions {
  /** The bot's clock (ISO with offset). */
  now?: string;
  features?: FeatureModule[];
  env?: Record<string, string>;
  database?: OpenedDatabase;
  log?: Logger;
  pacer?: Pacer;
}

export interface SayOptions {
  /** Group chat name; omitted = a direct chat with the bot. */
  chat?: string;
  /** In a group: whether the message @-mentions the bot (default true). */
  mention?: boolean;
  parentId?: string;
  /** Process the message and send its replies once, instead of settling the runtime (fast corpus runs). */
  once?: boolean;
  /** Extra people @-mentioned, by name; write them in the text as @name. */
}

/**
 * The real bot (real migrations, real campaign import, real dispatcher, inbox and outbox) on an in-memory
 * SQLite database, with a manual clock and a messenger that records what would be sent.
 */
export async function createTestBot(opts: TestBotOptions = {}) {
  const clock = new ManualClock(opts.now ?? '2020-09-28T09:00:00+08:00');
  const config = loadConfig({ DB_PATH: ':memory:', ADMIN_OPEN_IDS: ADMIN, LOG_LEVEL: 'silent', ...opts.env });
  const messenger = new RecordingMessenger();
  const database = opts.database ?? openTestDatabase();
  const runtime: Runtime = await createRuntime({
    config,
    clock,
    log: opts.log ?? silentLogger,
    features: opts.features ?? allFeatures,
    messenger,
    database,
    pacer: opts.pacer ?? new Pacer(1000, 1000),
  });
  let n = 0;

  /** Sends a message as `person` and returns what the bot sent in response. */
  async function say(person: string, text: string, o: SayOptions = {}): Promise<Sent[]> {
    const before = messenger.sent.length;
    const mentions: Mention[] = [];
    const replaced = text.replace(/@([^\s@]+)/g, (_m, name: string) => {
      const key = `@_user_${mentions.length + 2}`;
      mentions.push({ key, openId: name === 'admin' ? ADMIN : openIdOf(name), name });
      return key;
    });
    n++;
    const msg: IncomingMessage = {
      eventId: `ev_test_${n}_${crypto.randomBytes(4).toString('hex')}`,
      messageId: `om_test_in_${n}_${crypto.randomBytes(4).toString('hex')}`,
      chatId: o.chat ? chatIdOf(o.chat) : chatIdOf(`p2p:${person}`),
      chatType: o.chat ? 'group' : 'p2p',
      chatName: o.chat ?? null,
      senderOpenId: person === 'admin' ? ADMIN : openIdOf(person),
      senderName: person,
      text: replaced,
      mentions,
      mentionedBot: o.mention ?? true,
      parentId: o.parentId ?? null,
      sentAt: clock.now().toISOString(),
    };
    await storeEvents(runtime.db, [{ eventId: msg.eventId, messageId: msg.messageId, kind: 'message', payload: msg }], clock.now());
    if (o.once) {
      await runtime.worker.drain();
      await runtime.sender.drain();
    } else await runtime.settle();
    return messenger.sent.slice(before);
  }

  /** Presses a card button (value as the card carries it) as `person`; returns the callback answer. */
  async function press(
    person: string,
    value: Record<string, unknown>,
    o: { chat?: string; formValue?: Record<string, unknown>; messageId?: string; eventId?: string } = {},
  ): Promise<{ answer: CardResponse | null; sent: Sent[] }> {
    const before = messenger.sent.length;
    n++;
    const action: CardAction = {
      eventId: o.eventId ?? `ev_card_${n}_${crypto.randomBytes(4).toString('hex')}`,
      operatorOpenId: person === 'admin' ? ADMIN : openIdOf(person),
      operatorName: person,
      value,
      formValue: o.formValue ?? null,
      messageId: o.messageId ?? `om_card_${n}`,
      chatId: o.chat ? chatIdOf(o.chat) : chatIdOf(`p2p:${person}`),
      chatType: o.chat ? 'group' : 'p2p',
      token: null,
    };
    const [isNew] = await storeEvents(runtime.db, [{ eventId: action.eventId, messageId: null, kind: 'card', payload: action }], clock.now());
    let answer: CardResponse | null = null;
    if (isNew) {
      const row = await runtime.db.selectFrom('inbox_events').select('id').where('event_id', '=', action.eventId).executeTakeFirstOrThrow();
      const r = await runtime.worker.processNow(row.id);
      answer = r === 'busy' ? null : r;
      // The answer as Lark would get it, held to Lark's rules for callback answers.
      const problems = checkCallbackAnswer(larkCallbackAnswer(answer));
      if (problems.length) reportViolation(`card callback answer (${String(value.a ?? '')})`, describeProblems(problems));
    }
    await runtime.settle();
    return { answer, sent: messenger.sent.slice(before) };
  }

  /** Binds a person through the real 绑定 command, as the admin. */
  async function bind(person: string, roleAndScope: string): Promise<void> {
    const r = await say('admin', `绑定 @${person} ${roleAndScope}`);
    const text = r.map((s) => s.text ?? '').join('\n');
    if (!text.includes('已将')) throw new Error(`bind failed: ${text}`);
  }

  /** Binds the current group chat to a unit, as the admin. */
  async function bindChat(chat: string, unit: string): Promise<void> {
    const r = await say('admin', `绑定群 ${unit}`, { chat });
    const text = r.map((s) => s.text ?? '').join('\n');
    if (!text.includes('已将本群')) throw new Error(`bindchat failed: ${text}`);
  }

  return { runtime, db: runtime.db, database, clock, messenger, say, press, bind, bindChat, stop: () => runtime.stop(), close: () => database.close() };
}

export type TestBot = Awaited<ReturnType<typeof createTestBot>>;

/** The text of every message in a list (cards flattened). */
export function textOf(sent: Sent[]): string {
  return sent.map((s) => s.text ?? (s.card ? cardText(s.card) : s.fileName ?? '')).join('\n');
}
