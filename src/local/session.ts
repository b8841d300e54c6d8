import crypto from 'node:crypto';
import type { OffsetClock } from '../clock.ts';
import type { Db } from '../db/connect.ts';
import { storeEvents } from '../db/inbox-store.ts';
import { knownNames } from '../domain/people.ts';
import { isValidDate, localParts, zonedInstant } from '../calendar/dates.ts';
import type { CardAction, IncomingMessage, Mention } from '../bot/types.ts';
import type { LocalMessenger } from './local-messenger.ts';
import { renderCard } from './render-card.ts';
import { stripControls } from '../text/sanitize.ts';

export const DEFAULT_LOCAL_PERSON = '管理员';
export const DIRECT_CHAT = '私聊';
/** What the terminal calls the bot: `@机器人 进度` is the way every example in the contract is written. */
export const LOCAL_BOT_NAMES = ['机器人', 'bot', 'coverage-bot', '物业助手'];

export function localOpenId(name: string): string {
  return `ou_local_${crypto.createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}
export function localChatId(name: string, person: string): string {
  const key = name === DIRECT_CHAT ? `p2p:${person}` : `group:${name}`;
  return `oc_local_${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** "2020-09-29 09:00（北京时间）" for the campaign's zone. */
export function describeInstant(t: Date, timeZone: string): string {
  const p = localParts(t, timeZone);
  return `${p.date} ${p.time}（${timeZone === 'Asia/Shanghai' ? '北京时间' : timeZone}）`;
}

/** Reads `/time` input in the campaign's zone: `2020-09-29T09:00`, `2020-09-29 09:00`, `2020-09-29` (09:00), or ISO with an offset. */
export function parseLocalTime(arg: string, timeZone: string): Date | null {
  const s = arg.normalize('NFKC').trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = new Date(s);
    return Number.isNaN(t.getTime()) ? null : t;
  }
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T\s]+(\d{1,2}):(\d{2}))?$/.exec(s);
  if (!m || !isValidDate(m[1]!)) return null;
  const hh = m[2] === undefined ? 9 : Number(m[2]);
  const mm = m[3] === undefined ? 0 : Number(m[3]);
  if (hh > 23 || mm > 59) return null;
  return zonedInstant(m[1]!, `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`, timeZone);
}

/**
 * Form fields typed after a button number: `company=鑫安物业 manager=王 强` (a value runs to the next `name=`),
 * or quoted, `remarks="业委会 筹备中"`.
 */
export function parseFormFields(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][\w]*)=("([^"]*)"|“([^”]*)”|((?:(?!\s+[A-Za-z_][\w]*=).)*))/gs;
  for (const m of args.matchAll(re)) out[m[1]!] = (m[3] ?? m[4] ?? m[5] ?? '').trim();
  return out;
}

export interface TickOutcome {
  missed: string[];
  passedBeforeImport: string[];
}

export interface LocalSessionDeps {
  db: Db;
  clock: OffsetClock;
  timeZone: string;
  messenger: LocalMessenger;
  print(line: string): void;
  /** Processes everything stored and sends what is due. */
  settle(): Promise<void>;
  /** Processes one stored card action right away and returns its answer. */
  pressCard(eventId: string): Promise<{ toast?: { content: string }; card?: Record<string, unknown> } | null>;
  /** Runs the scheduler once (after /time), if there is one. */
  tick?: () => Promise<TickOutcome>;
}

export const LOCAL_HELP = [
  '本地模式命令：',
  '  /as 姓名        以某人的身份发言（“管理员”是管理员）',
  '  /chat 群名      到某个群里发言；/chat 回到私聊',
  '  /time 2020-09-29T09:00   调整机器人的时钟（北京时间），到点的提醒会发出',
  '  数字            按下卡片上对应编号的按钮；表单按钮后写 字段=值，值里可以有空格，例如：3 company=鑫安物业 manager=王强',
  '  行尾加 \\       继续输入下一行（发送多行消息）；或用单独一行 """ 开始和结束一段多行消息',
  '  /who           查看当前身份和群聊',
  '  /quit          退出（也可以按 Ctrl+D）',
  '其余内容都发给机器人，可以写“@机器人 进度”，也可以直接写“进度”。发送“帮助”查看机器人的命令。',
].join('\n');

/**
 * A terminal chat with the bot: lines are typed as a chosen person in a chosen chat and go through the same
 * inbox, dispatcher and outbox as Lark traffic.
 */
export class LocalSession {
  person = DEFAULT_LOCAL_PERSON;
  chat = DIRECT_CHAT;
  private seq = 0;
  private readonly names = new Map<string, string>();
  /** Lines of a multi-line message being typed. */
  private pending: string[] | null = null;
  private block = false;

  constructor(private readonly deps: LocalSessionDeps) {
    this.names.set(localOpenId(DEFAULT_LOCAL_PERSON), DEFAULT_LOCAL_PERSON);
  }

  /** Learns the names of bound groups and people from the database, so a restarted session still prints names. */
  async loadNames(): Promise<void> {
    const known = await knownNames(this.deps.db);
    for (const c of known.chats) this.names.set(c.chatId, c.name);
    for (const p of known.people) {
      this.names.set(p.openId, p.name);
      this.names.set(localChatId(DIRECT_CHAT, p.name), `与${p.name}的私聊`);
    }
  }

  /** Name of a chat or person id, for printing. */
  describe(id: string): string {
    return this.names.get(id) ?? id;
  }

  get prompt(): string {
    return this.pending ? '… ' : `${this.person}@${this.chat}> `;
  }

  /** Handles one typed line; returns 'quit' when the person asked to leave. */
  async handleLine(input: string): Promise<'quit' | void> {
    if (this.pending) {
      if (this.block) {
        if (input.trim() === '"""') return this.flushPending();
        this.pending.push(input);
        return;
      }
      const more = /\\\s*$/.test(input);
      this.pending.push(input.replace(/\\\s*$/, ''));
      if (more) return;
      return this.flushPending();
    }
    const line = input.trim();
    if (!line) return;
    if (line === '"""') {
      this.pending = [];
      this.block = true;
      return;
    }
    if (/\\\s*$/.test(input)) {
      this.pending = [input.replace(/\\\s*$/, '')];
      this.block = false;
      return;
    }
    if (line.startsWith('/')) return this.localCommand(line);
    const press = /^(\d+)(?:\s+(.*))?$/.exec(line);
    if (press) {
      const n = Number(press[1]);
      if (this.deps.messenger.buttons.has(n)) return this.pressButton(n, press[2]?.trim() ?? '');
      const known = [...this.deps.messenger.buttons.keys()];
      const range = known.length ? `目前可以按的按钮是 ${Math.min(...known)}–${Math.max(...known)}` : '目前没有可以按的按钮';
      return this.deps.print(`（没有编号为 ${n} 的按钮，${range}。输入 /help 查看本地命令。）`);
    }
    await this.sendText(line);
  }

  private async flushPending(): Promise<void> {
    const text = (this.pending ?? []).join('\n').trim();
    this.pending = null;
    this.block = false;
    if (text) await this.sendText(text);
  }

  private async localCommand(line: string): Promise<'quit' | void> {
    const [word = '', ...rest] = line.split(/\s+/);
    const arg = rest.join(' ').trim();
    switch (word.toLowerCase()) {
      case '/quit':
      case '/exit':
      case '/q':
      case '/退出':
        return 'quit';
      case '/help':
      case '/?':
        return this.deps.print(LOCAL_HELP);
      case '/who':
        return this.deps.print(`（您是「${this.person}」，在「${this.chat}」${this.chat === DIRECT_CHAT ? '' : '群聊'}；机器人时间 ${describeInstant(this.deps.clock.now(), this.deps.timeZone)}）`);
      case '/as':
        if (!arg) return this.deps.print(`当前身份：${this.person}`);
        this.person = arg;
        this.names.set(localOpenId(arg), arg);
        this.remember();
        return this.deps.print(`（现在以 ${arg} 的身份发言）`);
      case '/chat': {
        const name = arg || DIRECT_CHAT;
        this.chat = name;
        this.remember();
        return this.deps.print(`（现在在「${name}」${name === DIRECT_CHAT ? '，与机器人的私聊' : '群聊'}）`);
      }
      case '/time': {
        if (!arg) return this.deps.print(`机器人时间：${describeInstant(this.deps.clock.now(), this.deps.timeZone)}。调整：/time 2020-09-29T09:00`);
        const t = parseLocalTime(arg, this.deps.timeZone);
        if (!t) return this.deps.print('时间格式：/time 2020-09-29T09:00（北京时间），或 /time 2020-09-29（当天 09:00）');
        this.deps.clock.set(t);
        this.deps.print(`（时间已设为 ${describeInstant(t, this.deps.timeZone)}）`);
        const outcome = await this.deps.tick?.();
        await this.deps.settle();
        // Whether the bot was "down" or not yet there, a reminder whose day the clock jumped over is not sent late.
        const skipped = (outcome?.missed.length ?? 0) + (outcome?.passedBeforeImport.length ?? 0);
        if (skipped) this.deps.print(`（已跳过 ${skipped} 条过期提醒：时钟跳过的时段里到点的提醒不再补发）`);
        return;
      }
      default:
        return this.deps.print(`（没有“${word.slice(0, 12)}”这个本地命令。输入 /help 查看本地命令；要发给机器人的内容不用加 /。）`);
    }
  }

  private remember(): void {
    this.names.set(localChatId(this.chat, this.person), this.chat === DIRECT_CHAT ? `与${this.person}的私聊` : this.chat);
  }

  private async sendText(typed: string): Promise<void> {
    const n = ++this.seq;
    const mentions: Mention[] = [];
    const botNames = LOCAL_BOT_NAMES.map((b) => b.toLowerCase());
    const replaced = stripControls(typed)
      .replace(/@([^\s@]+)/g, (_m, name: string) => {
        // The bot's own mention is not an argument: Lark strips it too.
        if (botNames.includes(name.toLowerCase())) return ' ';
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, openId: localOpenId(name), name });
        this.names.set(localOpenId(name), name);
        return key;
      })
      // Lines of a multi-line message are joined the way the Lark edge joins them (src/lark/normalize.ts).
      .replace(/\s+/g, ' ')
      .trim();
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
    const typed = parseFormFields(stripControls(args));
    const unknown = Object.keys(typed).filter((k) => !b.fields.includes(k));
    if (unknown.length) {
      const hint = b.fields.length ? `这个按钮的字段有：${b.fields.join('、')}` : '这个按钮没有要填写的字段';
      return this.deps.print(`（没有字段 ${unknown.join('、')}，${hint}。未提交。）`);
    }
    const now = this.deps.clock.now();
    const action: CardAction = {
      eventId: `local-card-${now.getTime()}-${crypto.randomBytes(4).toString('hex')}`,
      operatorOpenId: localOpenId(this.person),
      operatorName: this.person,
      value: b.value,
      formValue: b.fields.length ? typed : null,
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
