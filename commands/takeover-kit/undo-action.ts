/** The 撤销 button of a result card: reverts exactly the change that card reported. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { auditRowsByIds } from '../../src/domain/undo.ts';
import { undoneCard } from '../../cards/takeover-recorded.ts';
import { UNDO_KIND } from './flow.ts';
import { undoAndDescribe } from './undo-reply.ts';

const payload = z.object({ auditIds: z.array(z.number().int().positive()).min(1).max(20) });

export default defineCardAction({
  kind: UNDO_KIND,
  value: z.object({ a: z.literal(UNDO_KIND), t: z.string().min(8).max(64) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, UNDO_KIND, ctx.actor.openId, ctx.now);
    const p = payload.safeParse(token.payload);
    if (!p.success) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    const rows = await auditRowsByIds(ctx.db, p.data.auditIds);
    if (rows.length !== p.data.auditIds.length) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    const done = await undoAndDescribe(ctx, rows);
    return { toast: { type: 'success', content: '已撤销' }, card: undoneCard(done.compounds, done.what, done.text) };
  },
});
