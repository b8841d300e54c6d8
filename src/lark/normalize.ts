import type { CardAction, IncomingMessage, Mention, UnsupportedContent } from '../bot/types.ts';
import { stripControls, stripControlsDeep } from '../text/sanitize.ts';
import type { CardEvent, MessageEvent } from './envelope.ts';

const UNSUPPORTED_TYPES: Record<string, UnsupportedContent> = { image: 'image', file: 'file', audio: 'audio', media: 'media', sticker: 'sticker' };

interface ReadContent {
  text: string;
  /** Open ids @-mentioned inside a post that have no entry in `mentions` (the bot, when Lark gives an id). */
  atOpenIds: string[];
  unsupported: UnsupportedContent | null;
}

type PostElement = { tag?: unknown; text?: unknown; user_id?: unknown; user_name?: unknown };

/** The post body: `{title, content: [[…]]}`, or the same wrapped in a locale (`{"zh_cn": {…}}`, `{"post": {"zh_cn": …}}`). */
function postBody(parsed: Record<string, unknown>, depth = 0): { title: string; lines: unknown[] } | null {
  if (Array.isArray(parsed.content)) return { title: typeof parsed.title === 'string' ? parsed.title : '', lines: parsed.content };
  if (depth >= 2) return null;
  for (const v of Object.values(parsed)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    const found = postBody(v as Record<string, unknown>, depth + 1);
    if (found) return found;
  }
  return null;
}

/** A post's text, lines joined by newlines; @ elements become the mention placeholders the text form uses. */
function postText(parsed: Record<string, unknown>, mentionKeys: Map<string, string>): ReadContent {
  const body = postBody(parsed);
  if (!body) return { text: '', atOpenIds: [], unsupported: 'other' };
  const atOpenIds: string[] = [];
  let media = false;
  const lines = body.lines.map((line) => {
    if (!Array.isArray(line)) return '';
    return line
      .map((raw: unknown) => {
        const el = (raw && typeof raw === 'object' ? raw : {}) as PostElement;
        const tag = String(el.tag ?? '');
        if (tag === 'text' || tag === 'a' || tag === 'code_block' || tag === 'md') return typeof el.text === 'string' ? el.text : '';
        if (tag === 'at') {
          const id = typeof el.user_id === 'string' ? el.user_id : '';
          if (id === 'all' || id === '@_all') return ' @_all ';
          if (/^@_user_\d+$/.test(id)) return ` ${id} `;
          const key = mentionKeys.get(id);
          if (key) return ` ${key} `;
          if (id) atOpenIds.push(id);
          return ' ';
        }
        if (tag === 'img' || tag === 'media') media = true;
        return '';
      })
      .join('');
  });
  let text = lines.join('\n').trim();
  if (!text.replace(/@_user_\d+|@_all/g, '').trim() && body.title.trim()) text = `${text} ${body.title}`.trim();
  const empty = !text.replace(/@_user_\d+|@_all/g, '').trim();
  return { text, atOpenIds, unsupported: empty && media ? 'image' : null };
}

/** Reads a Lark message's content: the text of text and post messages; other types the bot cannot read. */
function readContent(messageType: string, content: string, mentionKeys: Map<string, string>): ReadContent {
  const none = (unsupported: UnsupportedContent | null): ReadContent => ({ text: '', atOpenIds: [], unsupported });
  if (UNSUPPORTED_TYPES[messageType]) return none(UNSUPPORTED_TYPES[messageType]!);
  if (messageType !== 'text' && messageType !== 'post') return none('other');
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return none(null);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return none(null);
  if (messageType === 'text') {
    const text = (parsed as { text?: unknown }).text;
    return { text: typeof text === 'string' ? text : '', atOpenIds: [], unsupported: null };
  }
  return postText(parsed as Record<string, unknown>, mentionKeys);
}

/**
 * Turns im.message.receive_v1 into an IncomingMessage, recognising the bot's own mention by its open_id. Text is
 * cleaned of control and direction characters here, at the edge.
 */
export function normalizeMessage(eventId: string, e: MessageEvent, botOpenId: string): IncomingMessage {
  const m = e.message;
  const mentionKeys = new Map(m.mentions.filter((x) => x.id?.open_id).map((x) => [x.id!.open_id!, x.key]));
  const read = readContent(m.message_type, m.content, mentionKeys);
  let text = stripControls(read.text);
  const mentions: Mention[] = [];
  let mentionedBot = read.atOpenIds.includes(botOpenId);
  for (const mention of m.mentions) {
    const openId = mention.id?.open_id ?? '';
    if (openId && openId === botOpenId) {
      mentionedBot = true;
      text = text.split(mention.key).join(' ');
    } else if (openId) {
      mentions.push({ key: mention.key, openId, name: stripControls(mention.name ?? '') });
    }
  }
  const created = Number(m.create_time);
  const sentAt = Number.isFinite(created) && created > 0 ? new Date(created > 1e14 ? created / 1000 : created).toISOString() : new Date(0).toISOString();
  const senderOpenId = e.sender.sender_id?.open_id ?? '';
  return {
    eventId,
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType: m.chat_type === 'p2p' ? 'p2p' : 'group',
    senderOpenId,
    text: text.replace(/\s+/g, ' ').trim(),
    mentions,
    mentionedBot,
    parentId: m.parent_id || null,
    sentAt,
    unsupported: read.unsupported,
    fromSelf: Boolean(botOpenId) && senderOpenId === botOpenId,
  };
}

/** Turns card.action.trigger into a CardAction. */
export function normalizeCardAction(eventId: string, e: CardEvent): CardAction {
  let value: Record<string, unknown> = {};
  if (typeof e.action.value === 'object' && e.action.value) value = e.action.value;
  else if (typeof e.action.value === 'string') {
    try {
      const v = JSON.parse(e.action.value) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) value = v as Record<string, unknown>;
    } catch {
      value = {};
    }
  }
  // A form's submit button may not carry a value; its name does ("a:<kind>:<token>").
  const named = /^a:([a-z0-9_.-]+):([A-Za-z0-9_-]+)$/.exec(e.action.name ?? '');
  if (typeof value.a !== 'string' && named) value = { ...value, a: named[1], t: named[2] };
  return {
    eventId,
    operatorOpenId: e.operator.open_id,
    operatorName: e.operator.name ? stripControls(e.operator.name) : null,
    value: stripControlsDeep(value),
    formValue: e.action.form_value ? stripControlsDeep(e.action.form_value) : null,
    messageId: e.context?.open_message_id ?? null,
    chatId: e.context?.open_chat_id ?? null,
    chatType: null,
    token: e.token ?? null,
  };
}
