/** 好的 / 收到 / 谢谢, and messages too long to read: a short, polite answer, nothing written. */
import { defineInterpreter } from '../../src/bot/command.ts';
import { readIntent } from '../../src/understanding/intent.ts';
import { prepareText } from '../../src/understanding/text-fold.ts';
import { TOO_LONG } from '../takeover-kit/flow.ts';

function answer(text: string): string {
  const s = prepareText(text);
  if (/谢|感谢/.test(s)) return '不客气。';
  if (/辛苦/.test(s)) return '您辛苦了。';
  if (/好[!！~～]*$|你好|您好|大家好|早上好|下午好|晚上好|在吗/.test(s) && !/好的|好滴|好嘞/.test(s)) {
    return '您好！我是物业管理全覆盖工作助手。可直接发送入驻信息或诉求，发送“帮助”可查看全部用法。';
  }
  return '好的。';
}

export default defineInterpreter({
  name: 'chatter',
  match: (text) => {
    const k = readIntent(text).kind;
    return k === 'chatter' || k === 'too-long';
  },
  async handler(ctx, text) {
    if (readIntent(text).kind === 'too-long') {
      await ctx.reply({ type: 'text', text: TOO_LONG(text.length) });
      return;
    }
    await ctx.reply({ type: 'text', text: answer(text) });
  },
});
