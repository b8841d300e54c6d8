/** A section of the several-compounds card: record that compound's reading, or open its own card for the rest. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { GROUP_KIND, groupReply, settleDraft } from './flow.ts';
import { draftSchema } from './draft.ts';

const TAMPERED = '卡片内容无效或已被修改，未作任何改动。请重新发起。';

const payload = z.object({
  drafts: z.array(draftSchema).min(2).max(20),
  notes: z.array(z.array(z.string().max(300)).max(20)),
  index: z.number().int().nonnegative(),
  done: z.array(z.object({ index: z.number().int().nonnegative(), note: z.string().max(100) })),
});

export default defineCardAction({
  kind: GROUP_KIND,
  value: z.object({ a: z.literal(GROUP_KIND), t: z.string().min(8).max(64) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, GROUP_KIND, ctx.actor.openId, ctx.now);
    const p = payload.safeParse(token.payload);
    if (!p.success || p.data.index >= p.data.drafts.length) throw new UserError(TAMPERED);
    const { drafts, notes, index } = p.data;
    const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
    // Only this section's reading is used: another compound's words never reach this one.
    const sectionNotes = notes[index] ?? [];
    const result = await settleDraft(ctx, drafts[index]!, compounds, sectionNotes);
    let note: string;
    if (result.recorded) note = '已记录';
    else if (result.content.type === 'card') note = '已另发卡片，请在新卡片中补充后确认';
    else note = result.content.type === 'text' ? result.content.text : '已处理';
    await ctx.reply(result.content);
    const done = [...p.data.done, { index, note: note.slice(0, 100) }];
    const card = await groupReply(ctx, drafts, notes, done, compounds);
    return {
      toast: result.recorded ? { type: 'success', content: '已记录' } : { type: 'info', content: note.slice(0, 40) },
      card: card.type === 'card' ? card.card : undefined,
    };
  },
});
