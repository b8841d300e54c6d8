import { ManualClock } from '../../src/clock.ts';
import type { FeatureModule } from '../../src/bot/command.ts';
import type { Logger } from '../../src/logger.ts';
import { Pacer } from '../../src/outbox/pacer.ts';
import { ADMIN, chatIdOf, openIdOf } from './harness.ts';
import { FAKE_BOT_OPEN_ID, FakeLarkApi, type Delivery } from './fake-lark.ts';
import { startLarkBot } from './lark-bot.ts';
import { cardEvent, messageEvent, signedRequest } from './lark-events.ts';
import { cardText } from './recording-messenger.ts';

export const openIdFor = (person: string) => (person === 'admin' ? ADMIN : openIdOf(person));

export interface LarkSayOptions {
  /** Group chat name; omitted = the person's direct chat with the bot. */
  chat?: string;
  /** In a group: whether the message @-mentions the bot (default true). */
  mention?: boolean;
  /** Overrides of the event as Lark sends it (message type, content, sender type, …). */
  edit?: (event: ReturnType<typeof messageEvent>) => void;
}

/**
 * The real bot in Lark mode against the strict fake Open API: people talk to it with signed, encrypted events and
 * press cards with signed callbacks, exactly as Lark delivers them. Names map to open_ids as in `createTestBot`.
 */
export async function startLarkSession(opts: { now?: string; env?: Record<string, string>; features?: FeatureModule[]; log?: Logger } = {}) {
  const clock = new ManualClock(opts.now ?? '2020-09-28T10:00:00+08:00');
  const fake = await new FakeLarkApi(clock).start();
  // Pacing is tested elsewhere; here the manual clock does not move between sends.
  const bot = await startLarkBot({ fake, clock, env: opts.env, features: opts.features, log: opts.log, pacer: new Pacer(1000, 1000) });

  const since = async (before: number): Promise<Delivery[]> => {
    await bot.runtime.settle();
    return fake.deliveries.slice(before);
  };

  /** Sends a text message (or what `edit` makes of it) as `person`; `@name` in the text mentions that person. */
  async function say(person: string, text: string, o: LarkSayOptions = {}): Promise<Delivery[]> {
    const before = fake.deliveries.length;
    const others = [...text.matchAll(/@([^\s@]+)/g)].map((m) => ({ openId: openIdFor(m[1]!), name: m[1]! }));
    const ev = messageEvent({
      senderOpenId: openIdFor(person), text, botOpenId: FAKE_BOT_OPEN_ID, others,
      chatId: o.chat ? chatIdOf(o.chat) : chatIdOf(`p2p:${person}`), chatType: o.chat ? 'group' : 'p2p', mentionBot: o.mention ?? true,
    });
    o.edit?.(ev);
    replyChats.set(ev.event.message.message_id, ev.event.message.chat_id);
    const res = await bot.post('/webhook/event', signedRequest(ev));
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    return since(before);
  }

  /** Presses a button (or submits a form) of a card the bot sent, as Lark calls back: no chat type in it. */
  async function press(
    person: string,
    value: Record<string, unknown>,
    o: { card: Delivery; formValue?: Record<string, unknown>; name?: string; tenantKey?: string; eventId?: string },
  ): Promise<{ status: number; answer: Record<string, unknown>; sent: Delivery[] }> {
    const before = fake.deliveries.length;
    const chatId = o.card.kind === 'send' && o.card.receiveIdType === 'chat_id' ? o.card.target : chatOfReply(o.card);
    const ev = cardEvent({ operatorOpenId: openIdFor(person), value, formValue: o.formValue, name: o.name, messageId: o.card.messageId, chatId, eventId: o.eventId });
    if (o.tenantKey) ev.header.tenant_key = o.tenantKey;
    const res = await bot.post('/webhook/card', signedRequest(ev));
    const answer = (await res.json()) as Record<string, unknown>;
    return { status: res.status, answer, sent: await since(before) };
  }

  /** The chat a reply went to: the chat of the message it answers (each message `say` sent). */
  const replyChats = new Map<string, string>();
  function chatOfReply(d: Delivery): string {
    return replyChats.get(d.target) ?? d.target;
  }

  async function bind(person: string, roleAndScope: string): Promise<void> {
    const r = await say('admin', `绑定 @${person} ${roleAndScope}`);
    if (!r.some((d) => String(d.content?.text ?? '').includes('已将'))) throw new Error(`bind failed: ${JSON.stringify(r.map((d) => d.content))}`);
  }

  async function bindChat(chat: string, unit: string): Promise<void> {
    const r = await say('admin', `绑定群 ${unit}`, { chat });
    if (!r.some((d) => String(d.content?.text ?? '').includes('已将本群'))) throw new Error(`bindchat failed: ${JSON.stringify(r.map((d) => d.content))}`);
  }

  /** The chat a delivery landed in: a group's or a direct chat's id, or `open_id:<id>` for a send to a person. */
  function chatOf(d: Delivery): string {
    if (d.kind === 'send') return d.receiveIdType === 'chat_id' ? d.target : `open_id:${d.target}`;
    return replyChats.get(d.target) ?? d.target;
  }

  return {
    clock, fake, bot, db: bot.runtime.db, say, press, bind, bindChat, chatOf,
    async stop() {
      await bot.stop();
      await fake.stop();
    },
  };
}

export type LarkSession = Awaited<ReturnType<typeof startLarkSession>>;

/** What a delivery shows: a text message's text, or a card's visible text. */
export function shown(d: Delivery): string {
  if (d.msgType === 'text') return String(d.content?.text ?? '');
  if (d.msgType === 'interactive') return cardText(d.content);
  return '';
}

/** The deliveries into one group chat (sends to it; replies are matched by the caller). */
export function sentTo(deliveries: Delivery[], chat: string): Delivery[] {
  return deliveries.filter((d) => d.kind === 'send' && d.target === chatIdOf(chat));
}
