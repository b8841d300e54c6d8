/** A button of the 您是不是指 card of 类别 / 攻坚: finishes the command for the compound pressed. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { ACTION_STATES } from '../../src/campaign/schema.ts';
import { card, markdown, md } from '../../cards/kit.ts';
import { applyAction } from '../action.ts';
import { applyCategory } from '../category.ts';
import { PICK_KIND } from './resolve.ts';

const TAMPERED = '卡片内容无效或已被修改，未作任何改动。请重新发起。';

const payload = z.object({
  choices: z.array(z.number().int().positive()).min(1).max(6),
  retry: z.discriminatedUnion('command', [
    z.object({ command: z.literal('category'), category: z.union([z.literal(1), z.literal(2), z.literal(3)]) }),
    z.object({ command: z.literal('action'), action: z.string().max(20), state: z.enum(ACTION_STATES), note: z.string().max(200).nullable() }),
  ]),
});

export default defineCardAction({
  kind: PICK_KIND,
  value: z.object({ a: z.literal(PICK_KIND), t: z.string().min(8).max(64), c: z.coerce.number().int().positive() }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, PICK_KIND, ctx.actor.openId, ctx.now);
    const p = payload.safeParse(token.payload);
    // Only a compound the card offered may come back.
    if (!p.success || !p.data.choices.includes(value.c)) throw new UserError(TAMPERED);
    const c = (await loadMatchableCompounds(ctx.db, ctx.campaign.id)).find((x) => x.id === value.c);
    if (!c) throw new UserError(TAMPERED);
    const r = p.data.retry;
    const text = r.command === 'category' ? await applyCategory(ctx, c, r.category) : await applyAction(ctx, c, r);
    return { toast: { type: 'success', content: '已处理' }, card: card(`已处理：${c.name}`, [markdown(md(text))], { template: 'green' }) };
  },
});
