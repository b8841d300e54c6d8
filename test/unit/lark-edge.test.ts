import { describe, expect, it } from 'vitest';
import { decryptLarkPayload, encryptLarkPayload, larkSignature, verifyLarkSignature } from '../../src/lark/crypto.ts';
import { normalizeCardAction, normalizeMessage } from '../../src/lark/normalize.ts';
import { cardEventSchema, messageEventSchema } from '../../src/lark/envelope.ts';
import { cardEvent, messageEvent } from '../support/lark-events.ts';

describe('Lark crypto', () => {
  it('decrypts the official test vector', () => {
    expect(decryptLarkPayload('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('computes the documented signature over the raw body and compares it', () => {
    const body = Buffer.from('{"encrypt":"P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk="}');
    const sig = larkSignature('1700000000', 'abc', 'test key', body);
    expect(sig).toBe('0c09d96c2aef2ad08179b3967ea410bbc91dab24ce3aec05af962cf1935844af');
    expect(verifyLarkSignature({ timestamp: '1700000000', nonce: 'abc', signature: sig }, 'test key', body)).toBe(true);
    expect(verifyLarkSignature({ timestamp: '1700000000', nonce: 'abd', signature: sig }, 'test key', body)).toBe(false);
    expect(verifyLarkSignature({ timestamp: '1700000000', nonce: 'abc' }, 'test key', body)).toBe(false);
  });

  it('round-trips what it encrypts', () => {
    expect(decryptLarkPayload('k', encryptLarkPayload('k', '{"a":"中文"}'))).toBe('{"a":"中文"}');
    expect(() => decryptLarkPayload('other', encryptLarkPayload('k', '{"a":1}'))).toThrow();
  });
});

describe('normalisation at the edge', () => {
  it('removes the bot’s own mention and keeps others as placeholders with their open_ids', () => {
    const ev = messageEvent({ senderOpenId: 'ou_admin', text: '绑定 @张三 社区 梅园社区', botOpenId: 'ou_bot', others: [{ openId: 'ou_zhang', name: '张三' }] });
    const msg = normalizeMessage('ev1', messageEventSchema.parse(ev.event), 'ou_bot');
    expect(msg.mentionedBot).toBe(true);
    expect(msg.text).toBe('绑定 @_user_2 社区 梅园社区');
    expect(msg.mentions).toEqual([{ key: '@_user_2', openId: 'ou_zhang', name: '张三' }]);
    expect(msg.chatType).toBe('group');
    expect(msg.senderOpenId).toBe('ou_admin');
  });

  it('does not count a mention of someone else as a mention of the bot', () => {
    const ev = messageEvent({ senderOpenId: 'ou_a', text: '进度', botOpenId: 'ou_someone_else' });
    expect(normalizeMessage('ev2', messageEventSchema.parse(ev.event), 'ou_bot').mentionedBot).toBe(false);
  });

  it('reads the text runs of a post message', () => {
    const ev = messageEvent({ senderOpenId: 'ou_a', text: '', botOpenId: 'ou_bot', mentionBot: false });
    ev.event.message.message_type = 'post';
    ev.event.message.content = JSON.stringify({ title: '', content: [[{ tag: 'text', text: '进度 ' }, { tag: 'text', text: '梅园社区' }]] });
    expect(normalizeMessage('ev3', messageEventSchema.parse(ev.event), 'ou_bot').text).toBe('进度 梅园社区');
  });

  it('reads a card action’s value, form values and context, and a form submit named a:<kind>:<token>', () => {
    const ev = cardEvent({ operatorOpenId: 'ou_op', value: { a: 'x.confirm', t: 'tok' }, messageId: 'om_1', chatId: 'oc_1' });
    const a = normalizeCardAction('ev4', cardEventSchema.parse(ev.event));
    expect(a).toMatchObject({ operatorOpenId: 'ou_op', value: { a: 'x.confirm', t: 'tok' }, messageId: 'om_1', chatId: 'oc_1' });
    const form = cardEvent({ operatorOpenId: 'ou_op', value: {}, formValue: { company: '鑫安物业' }, name: 'a:takeover.confirm:Tok_1' });
    const f = normalizeCardAction('ev5', cardEventSchema.parse(form.event));
    expect(f.value).toEqual({ a: 'takeover.confirm', t: 'Tok_1' });
    expect(f.formValue).toEqual({ company: '鑫安物业' });
  });
});
