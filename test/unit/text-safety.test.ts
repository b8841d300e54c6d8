import { describe, expect, it } from 'vitest';
import { maskPhones } from '../../src/text/phone-mask.ts';
import { stripControls, stripControlsDeep } from '../../src/text/sanitize.ts';
import { neutraliseTextMarkup, renderText, textMention } from '../../src/text/text-markup.ts';
import { maskCard } from '../../src/outbox/audience.ts';
import { md, select } from '../../cards/kit.ts';
import { normalizeMessage } from '../../src/lark/normalize.ts';
import { messageEventSchema } from '../../src/lark/envelope.ts';
import { messageEvent } from '../support/lark-events.ts';

describe('one phone masking rule', () => {
  it.each([
    ['13905321234', '139****1234'],
    ['１３９０５３２１２３４', '139****1234'],
    ['139 0532 1234', '139****1234'],
    ['139-0532-1234', '139****1234'],
    ['139.0532.1234', '139****1234'],
    ['+86 13905321234', '139****1234'],
    ['0632-8869917', '0632-****917'],
    ['(0632)8869917', '0632-****917'],
    ['（０６３２）８８６９９１７', '0632-****917'],
    ['0632 8869917', '0632-****917'],
  ])('masks %s as %s', (raw, masked) => {
    expect(maskPhones(`电话${raw}，谢谢`)).toBe(`电话${masked}，谢谢`);
  });

  it('leaves dates, codes and counts alone', () => {
    for (const t of ['2020-09-20', 'T0012', '共 1390 户', '2020年9月20日', '12345678元']) expect(maskPhones(t)).toBe(t);
  });

  it('masks numbers in card markdown written with entities, keeping mentions and button values', () => {
    const card = {
      body: { elements: [
        { tag: 'markdown', content: `<at id=ou_13905321234abc></at> 电话 ${md('(0632)8869917 与 139-0532-1234')}` },
        { tag: 'button', text: { tag: 'plain_text', content: '13905321234' }, behaviors: [{ type: 'callback', value: { c: '13905321234' } }] },
        { tag: 'input', name: 'phone', default_value: '１３９０５３２１２３４' },
      ] },
    };
    const masked = JSON.stringify(maskCard(card));
    expect(masked).toContain('<at id=ou_13905321234abc></at>');
    expect(masked).toContain('0632&#45;&#42;&#42;&#42;&#42;917');
    expect(masked).toContain('139&#42;&#42;&#42;&#42;1234');
    expect(masked).toContain('"content":"139****1234"');
    expect(masked).toContain('"value":{"c":"13905321234"}');
    expect(masked).toContain('"default_value":"139****1234"');
  });
});

describe('card markdown escaping', () => {
  it('writes every special character as an HTML entity, the backslash included', () => {
    expect(md('\\[x\\](http://a)')).toBe('&#92;&#91;x&#92;&#93;&#40;http&#58;//a&#41;');
    expect(md('**粗** <at id=all></at> a_b `c` ~d~ # e & f')).not.toMatch(/[*<>_`~#&](?!#?\d*;)/);
    expect(md('普通文字，123。')).toBe('普通文字，123。');
  });

  it('never builds an empty drop-down, and offers a repeated value once', () => {
    expect(select('x', '部门', [])).toEqual({ tag: 'markdown', content: '部门：暂无可选项' });
    const s = select('x', '部门', [{ text: 'a', value: '1' }, { text: 'b', value: '1' }]);
    expect((s.options as unknown[]).length).toBe(1);
  });
});

describe('inert text messages', () => {
  it('neutralises tags, entities and links, and only the bot’s own mentions become <at>', () => {
    const user = '<at user_id="all"></at> <at id=all></at> [点](http://x) <b>b</b> &#60;at&#62;';
    const out = renderText(`${textMention('ou_abc', '张<三>')} 您好：${user}`);
    expect(out.startsWith('<at user_id="ou_abc">张三</at> 您好：')).toBe(true);
    expect(out.slice(out.indexOf('您好'))).not.toMatch(/<|\]\(|&#/);
    expect(neutraliseTextMarkup('1 < 2，3 > 2')).toBe('1 < 2，3 > 2');
  });
});

describe('control and direction characters at the edge', () => {
  it('strips C0/C1 controls, whole ANSI sequences and bidi marks, keeping newlines and tabs', () => {
    expect(stripControls('a\u0000b\u0007c\u001b[1;31md\u001b[0m\u001b]0;title\u0007e\u202ef\u2066g\u2069\u200fh\u0085i\r\nj\tk')).toBe('abcdefghi\nj\tk');
    expect(stripControlsDeep({ company: '鑫安\u202e物业', list: ['a\u0000'] })).toEqual({ company: '鑫安物业', list: ['a'] });
  });

  it('cleans message text and mention names when a Lark message is normalised; the bot’s private marks cannot be typed', () => {
    const ev = messageEvent({ senderOpenId: 'ou_a', text: '进度\u202e \u0000梅园\ue000ou_x\ue001n\ue002', botOpenId: 'ou_bot', others: [] });
    const msg = normalizeMessage('ev', messageEventSchema.parse(ev.event), 'ou_bot');
    expect(msg.text).toBe('进度 梅园ou_xn');
  });
});

describe('post messages and other content at the edge', () => {
  const post = (content: unknown, mentions = true) => {
    const ev = messageEvent({ senderOpenId: 'ou_a', text: '', botOpenId: 'ou_bot', mentionBot: mentions });
    ev.event.message.message_type = 'post';
    ev.event.message.content = JSON.stringify(content);
    return normalizeMessage('ev', messageEventSchema.parse(ev.event), 'ou_bot');
  };

  it('reads both forms, resolves @ elements by placeholder or open_id, and joins lines', () => {
    const a = post({ title: 't', content: [[{ tag: 'at', user_id: '@_user_1' }, { tag: 'text', text: '入驻 福源公寓' }], [{ tag: 'a', text: '鑫安物业', href: 'http://x' }, { tag: 'text', text: ' 外聘' }]] });
    expect(a).toMatchObject({ mentionedBot: true, text: '入驻 福源公寓 鑫安物业 外聘', unsupported: null });
    const b = post({ zh_cn: { title: '', content: [[{ tag: 'at', user_id: 'ou_bot' }, { tag: 'text', text: '进度' }]] } }, false);
    expect(b).toMatchObject({ mentionedBot: true, text: '进度' });
    expect(post({ post: { en_us: { content: [[{ tag: 'at', user_id: '@_user_1' }, { tag: 'text', text: 'progress' }]] } } })).toMatchObject({ mentionedBot: true, text: 'progress' });
    expect(post({ title: '', content: [[{ tag: 'img', image_key: 'k' }]] }).unsupported).toBe('image');
  });

  it('marks images, files and other types as unsupported, and the bot’s own messages as its own', () => {
    const ev = messageEvent({ senderOpenId: 'ou_bot', text: '', botOpenId: 'ou_bot' });
    ev.event.message.message_type = 'sticker';
    ev.event.message.content = JSON.stringify({ file_key: 'f' });
    expect(normalizeMessage('ev', messageEventSchema.parse(ev.event), 'ou_bot')).toMatchObject({ unsupported: 'sticker', fromSelf: true });
    ev.event.message.message_type = 'share_chat';
    expect(normalizeMessage('ev', messageEventSchema.parse(ev.event), 'ou_bot').unsupported).toBe('other');
  });
});
