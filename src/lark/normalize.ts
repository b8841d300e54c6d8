import type { CardAction, IncomingMessage, Mention } from '../bot/types.ts';
import type { CardEvent, MessageEvent } from './envelope.ts';

/** Extracts plain text from a Lark message's content (text messages, and the text runs of post messages). */
function contentText(messageType: string, content: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return '';
  }
  if (messageType === 'text' && parsed && typeof parsed === 'object' && 'text' in parsed) {
    return String((parsed as { text: unknown }).text ?? '');
  }
  if (messageType === 'post' && parsed && typeof parsed === 'object') {
    const body = (parsed as Record<string, unknown>).content ?? Object.values(parsed as Record<string, { content?: unknown }>)[0]?.content;
    if (Array.isArray(body)) {
      return body
        .map((line: unknown) =>
          Array.isArray(line)
            ? line.map((el: { tag?: string; text?: string; user_id?: string }) => (el.tag === 'at' ? (el.user_id ? `@${el.user_id}` : '') : el.text ?? '')).join('')
            : '',
        )
        .join('\n');
    }
  }
  return '';
}

/** Turns im.message.receive_v1 into an IncomingMessage, recognising the bot's own mention by its open_id. */
export function normalizeMessage(eventId: string, e: MessageEvent, botOpenId: string): IncomingMessage {
  const m = e.message;
  let text = contentText(m.message_type, m.content);
  const mentions: Mention[] = [];
  let mentionedBot = false;
  for (const mention of m.mentions) {
    const openId = mention.id?.open_id ?? '';
    if (openId && openId === botOpenId) {
      mentionedBot = true;
      text = text.split(mention.key).join(' ');
    } else if (openId) {
      mentions.push({ key: mention.key, openId, name: mention.name ?? '' });
    }
  }
  const created = Number(m.create_time);
  const sentAt = Number.isFinite(created) && created > 0 ? new Date(created > 1e14 ? created / 1000 : created).toISOString() : new Date(0).toISOString();
  return {
    eventId,
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType: m.chat_type === 'p2p' ? 'p2p' : 'group',
    senderOpenId: e.sender.sender_id?.open_id ?? '',
    text: text.replace(/\s+/g, ' ').trim(),
    mentions,
    mentionedBot,
    parentId: m.parent_id || null,
    sentAt,
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
    operatorName: e.operator.name ?? null,
    value,
    formValue: e.action.form_value ?? null,
    messageId: e.context?.open_message_id ?? null,
    chatId: e.context?.open_chat_id ?? null,
    chatType: null,
    token: e.token ?? null,
  };
}
