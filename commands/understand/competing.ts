/**
 * A message that reads as a takeover report and as a grievance (福源公寓已入驻鑫安物业，但是3号楼电梯坏了):
 * never a guess; a card asks which, and the chosen reading runs as if the message had said so.
 */
import { z } from 'zod';
import { defineCardAction, defineInterpreter } from '../../src/bot/command.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import type { OutgoingContent } from '../../src/bot/types.ts';
import { UserError } from '../../src/errors.ts';
import { readIntent } from '../../src/understanding/intent.ts';
import { card, markdown, md } from '../../cards/kit.ts';
import { intentChoiceCard } from '../../cards/intent-choice.ts';
import { grievanceReply } from '../grievance.ts';
import { forChat } from '../grievances/present.ts';
import { takeoverReply } from '../takeover-kit/flow.ts';

export const CHOOSE_KIND = 'intent.choose';
const MENTION_KEY = /@_user_\d+|@_all/g;

async function askWhich(ctx: BotContext, text: string, withTakeover: boolean): Promise<void> {
  const plain = text.replace(MENTION_KEY, ' ').replace(/[\s\u3000]+/g, ' ').trim();
  const token = await ctx.issueCardToken(CHOOSE_KIND, { text: plain, sentAt: ctx.message.sentAt, takeover: withTakeover });
  const value = (c: string) => ({ a: CHOOSE_KIND, t: token, c });
  await ctx.reply({
    type: 'card',
    card: intentChoiceCard({
      text: forChat(ctx, plain.slice(0, 300)), grievance: value('grievance'), takeover: withTakeover ? value('takeover') : null, cancel: value('cancel'),
    }),
  });
}

export const competingInterpreter = defineInterpreter({
  name: 'competing',
  match: (text) => readIntent(text).kind === 'competing',
  handler: (ctx, text) => askWhich(ctx, text, true),
});

/** 四十中宿舍这个月的水费突然多了两百多: probably a resident's problem; recorded only if the person says so. */
export const maybeGrievanceInterpreter = defineInterpreter({
  name: 'maybe-grievance',
  match: (text) => readIntent(text).kind === 'maybe-grievance',
  handler: (ctx, text) => askWhich(ctx, text, false),
});

const payload = z.object({ text: z.string().min(1).max(5000), sentAt: z.string().min(10).max(40), takeover: z.boolean() });

function asCard(content: OutgoingContent, title: string): Record<string, unknown> {
  if (content.type === 'card') return content.card;
  return card(title, [markdown(md(content.type === 'text' ? content.text : ''))], { template: 'green' });
}

export const chooseAction = defineCardAction({
  kind: CHOOSE_KIND,
  value: z.object({ a: z.literal(CHOOSE_KIND), t: z.string().min(8).max(64), c: z.enum(['grievance', 'takeover', 'cancel']) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, CHOOSE_KIND, ctx.actor.openId, ctx.now);
    const p = payload.safeParse(token.payload);
    // Only a button the card offered may come back.
    if (!p.success || (value.c === 'takeover' && !p.data.takeover)) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    if (value.c === 'cancel') {
      return { toast: { type: 'info', content: '已取消' }, card: card('已取消', [markdown('已取消，未作记录。')], { template: 'grey' }) };
    }
    if (value.c === 'grievance') {
      const content = await grievanceReply(ctx, p.data.text, { firstWordIsCompound: false });
      return { toast: { type: 'success', content: content.type === 'text' ? '已登记诉求' : '请选择小区' }, card: asCard(content, '已登记诉求') };
    }
    const content = await takeoverReply(ctx, p.data.text, p.data.sentAt);
    return { toast: { type: 'info', content: content.type === 'card' ? '请查看卡片' : '已处理' }, card: asCard(content, '入驻信息') };
  },
});
