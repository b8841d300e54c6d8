import crypto from 'node:crypto';
import { encryptLarkPayload, larkSignature } from '../../src/lark/crypto.ts';

export const APP_ID = 'cli_a5fb0ae6a4b8d00c';
export const VERIFICATION_TOKEN = 'vR3kQ9mZ2xT7pL1aB8cD4eF6gH0jK5nM';
export const ENCRYPT_KEY = 'test-encrypt-key-0123456789';

let n = 0;
const id = (p: string) => `${p}${Date.now().toString(36)}${(++n).toString(36)}${crypto.randomBytes(4).toString('hex')}`;

/** Encrypts and signs a payload exactly as Lark does: body {"encrypt": …}, headers over the raw bytes. */
export function signedRequest(payload: unknown, opts: { encryptKey?: string; timestamp?: string; nonce?: string } = {}) {
  const key = opts.encryptKey ?? ENCRYPT_KEY;
  const body = JSON.stringify({ encrypt: encryptLarkPayload(key, JSON.stringify(payload)) });
  const timestamp = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? crypto.randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, key, Buffer.from(body)),
    } as Record<string, string>,
  };
}

export interface MessageEventOptions {
  eventId?: string;
  messageId?: string;
  chatId?: string;
  chatType?: 'group' | 'p2p';
  senderOpenId: string;
  senderType?: string;
  text: string;
  /** Mention the bot at the start (`@_user_1`). */
  mentionBot?: boolean;
  botOpenId: string;
  others?: { openId: string; name: string }[];
  parentId?: string;
  token?: string;
  appId?: string;
  createTime?: number;
}

/** An im.message.receive_v1 v2 envelope as Lark sends it. */
export function messageEvent(o: MessageEventOptions) {
  const mentions: unknown[] = [];
  let text = o.text;
  if (o.mentionBot ?? true) {
    mentions.push({ key: '@_user_1', id: { open_id: o.botOpenId, union_id: 'on_bot', user_id: '' }, name: '物业全覆盖助手', tenant_key: 'tk' });
    text = `@_user_1 ${text}`;
  }
  (o.others ?? []).forEach((p, i) => {
    const key = `@_user_${i + 2}`;
    mentions.push({ key, id: { open_id: p.openId, union_id: `on_${i}`, user_id: '' }, name: p.name, tenant_key: 'tk' });
    text = text.replace(`@${p.name}`, key);
  });
  const eventId = o.eventId ?? id('ev_');
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(o.createTime ?? Date.now()),
      token: o.token ?? VERIFICATION_TOKEN,
      app_id: o.appId ?? APP_ID,
      tenant_key: '2ca1d211f64f6438',
    },
    event: {
      sender: { sender_id: { open_id: o.senderOpenId, union_id: 'on_x', user_id: '' }, sender_type: o.senderType ?? 'user', tenant_key: '2ca1d211f64f6438' },
      message: {
        message_id: o.messageId ?? id('om_'),
        root_id: '',
        parent_id: o.parentId ?? '',
        create_time: String(o.createTime ?? Date.now()),
        update_time: String(o.createTime ?? Date.now()),
        chat_id: o.chatId ?? 'oc_group_zhuanban_0001',
        chat_type: o.chatType ?? 'group',
        message_type: 'text',
        content: JSON.stringify({ text }),
        mentions,
      },
    },
  };
}

/** A card.action.trigger v2 callback. */
export function cardEvent(o: { operatorOpenId: string; value: Record<string, unknown>; formValue?: Record<string, unknown>; messageId?: string; chatId?: string; eventId?: string; name?: string }) {
  return {
    schema: '2.0',
    header: {
      event_id: o.eventId ?? id('ev_card_'),
      token: VERIFICATION_TOKEN,
      create_time: String(Date.now() * 1000),
      event_type: 'card.action.trigger',
      tenant_key: '2ca1d211f64f6438',
      app_id: APP_ID,
    },
    event: {
      operator: { tenant_key: '2ca1d211f64f6438', open_id: o.operatorOpenId, union_id: 'on_x' },
      token: `c-${crypto.randomBytes(8).toString('hex')}`,
      action: { value: o.value, tag: 'button', ...(o.name ? { name: o.name } : {}), ...(o.formValue ? { form_value: o.formValue } : {}) },
      host: 'im_message',
      context: { open_message_id: o.messageId ?? 'om_card_msg_1', open_chat_id: o.chatId ?? 'oc_group_zhuanban_0001' },
    },
  };
}
