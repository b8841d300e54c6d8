import crypto from 'node:crypto';
import type { OffsetClock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { storeEvents } from '../inbox/store.ts';
import type { CardAction, IncomingMessage, Mention } from '../bot/types.ts';
import type { LocalMessenger } from './local-messenger.ts';
import { renderCard } from './render-card.ts';
import { stripControls } from '../text/sanitize.ts';

export const DEFAULT_LOCAL_PERSON = '管理员';
export const DIRECT_CHAT = '私聊';

export function localOpenId(name: string): string {
  return `ou_local_${crypto.createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}
export function localChatId(name: string, person: string): string {
  const key = name === DIRECT_CHAT ? `p2p:${person}` : `group:${name}`;
  return `oc_local_${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

export interface LocalSessionDeps {
  db: Db;
  clock: OffsetClock;
  messenger: LocalMessenger;
  print(line: string): void;
  /** Processes everything stored and sends what is due. */
  settle(): Promise<void>;
  /** Processes one stored card action right away and returns its answer. */
  pressCard(eventId: string): Promise<{ toast?: { content: string }; card?: Record<string, unknown> } | null>;
  /** Runs the scheduler once (after /time), if there is one. */
  tick?: () => Promise<void>;
}

/**
 * A terminal chat with the bot: lines are typed as a chosen person in a chosen chat and go through the same
 * inbox, dispatcher and outbox as Lark traffic. `/as NAME`, `/chat NAME`, `/time ISO`, a number presses a button.
 */
export class LocalSession {
  person = DEFAULT_LOCAL_PERSON;
  chat = DIRECT_CHAT;
  private seq = 0;
  private readonly names = new Map<string, string>();

  constructor(private readonly deps: LocalSessionDeps) {
    this.names.set(localOpenId(DEFAULT_LOCAL_PERSON), DEFAULT_LOCAL_PERSON);
  }

  /** Name of a chat or person id, for printing. */
  describe(id: string): string {
    return this.names.get(id) ?? id;
  }

  get prompt(): string {
    return `${this.person}@${this.chat}> `;
  }

  async handleLine(input: string): Promise<void> {
    const line = input.trim();
    if (!line) return;
    if (line.startsWith('/as')) {
      const name = line.slice(3).trim();
      if (!name) return this.deps.print(`当前身份：${this.person}`);
      this.person = name;
      this.names.set(localOpenId(name), name);
      this.remember();
      return this.deps.print(`（现在以 ${name} 的身份发言）`);
    }
    if (line.startsWith('/chat')) {
      const name = line.slice(5).trim() || DIRECT_CHAT;
      this.chat = name;
      this.remember();
      return this.deps.print(`（现在在「${name}」${name === DIRECT_CHAT ? '，与机器人的私聊' : '群聊'}）`);
    }
    if (line.startsWith('/time')) {
      const arg = line.slice(5).trim();
      const iso = /(Z|[+-]\d{2}:?\d{2})$/.test(arg) ? arg : `${arg}${arg.length <= 10 ? 'T09:00' : ''}+08:00`;
      const t = new Date(iso);
      if (!arg || Number.isNaN(t.getTime())) return this.deps.print('时间格式：/time 2020-09-29T09:00');
      this.deps.clock.set(t);
      this.deps.print(`（时间已设为 ${t.toISOString()}）`);
      await this.deps.tick?.();
      await this.deps.settle();
      return;
    }
    if (line === '/help') {
      return this.deps.print('本地模式：/as 姓名 切换身份；/chat 群名 切换群聊（/chat 回到私聊）；/time 2020-09-29T09:00 调整时间；输入数字按下卡片按钮；其余内容发给机器人。');
    }
    const press = /^(\d+)(\s+.*)?$/.exec(line);
    if (press && this.deps.messenger.buttons.has(Number(press[1]))) {
      await this.pressButton(Number(press[1]), press[2]?.trim() ?? '');
      return;
    }
    await this.sendText(line);
  }

  private remember(): void {
    this.names.set(localChatId(this.chat, this.person), this.chat === DIRECT_CHAT ? `与${this.person}的私聊` : this.chat);
  }

  private async sendText(typed: string): Promise<void> {
    const text = stripControls(typed);
    const n = ++this.seq;
    const mentions: Mention[] = [];
    const replaced = text.replace(/@([^\s@]+)/g, (_m, name: string) => {
      const key = `@_user_${mentions.length + 1}`;
      mentions.push({ key, openId: localOpenId(name), name });
      this.names.set(localOpenId(name), name);
      return key;
    });
    const now = this.deps.clock.now();
    const chatId = localChatId(this.chat, this.person);
    this.remember();
    const msg: IncomingMessage = {
      eventId: `local-${now.getTime()}-${n}-${crypto.randomBytes(3).toString('hex')}`,
      messageId: `om_local_in_${now.getTime()}_${n}`,
      chatId,
      chatType: this.chat === DIRECT_CHAT ? 'p2p' : 'group',
      chatName: this.chat === DIRECT_CHAT ? null : this.chat,
      senderOpenId: localOpenId(this.person),
      senderName: this.person,
      text: replaced,
      mentions,
      mentionedBot: true,
      parentId: null,
      sentAt: now.toISOString(),
    };
    await storeEvents(this.deps.db, [{ eventId: msg.eventId, messageId: msg.messageId, kind: 'message', payload: msg }], now);
    await this.deps.settle();
  }

  private async pressButton(n: number, args: string): Promise<void> {
    const b = this.deps.messenger.buttons.get(n)!;
    const formValue: Record<string, string> = {};
    for (const m of stripControls(args).matchAll(/([A-Za-z_][\w]*)=(\S+)/g)) formValue[m[1]!] = m[2]!;
    const now = this.deps.clock.now();
    const action: CardAction = {
      eventId: `local-card-${now.getTime()}-${crypto.randomBytes(4).toString('hex')}`,
      operatorOpenId: localOpenId(this.person),
      operatorName: this.person,
      value: b.value,
      formValue: b.fields.length ? formValue : null,
      messageId: b.messageId,
      chatId: b.chatId,
      chatType: b.chatId.startsWith('oc_local_') && this.chat !== DIRECT_CHAT ? 'group' : 'p2p',
      token: null,
    };
    await storeEvents(this.deps.db, [{ eventId: action.eventId, messageId: null, kind: 'card', payload: action }], now);
    const answer = await this.deps.pressCard(action.eventId);
    if (answer?.toast) this.deps.print(`（提示）${answer.toast.content}`);
    if (answer?.card) {
      this.deps.print(renderCard(answer.card, (btn) => {
        const id = Math.max(0, ...this.deps.messenger.buttons.keys()) + 1;
        this.deps.messenger.buttons.set(id, { ...btn, messageId: b.messageId, chatId: b.chatId });
        return id;
      }));
    }
    await this.deps.settle();
  }
}
