/** The confirmation card's buttons and form: choose the compound, fill what is missing, confirm. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { localDate } from '../../src/calendar/dates.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { CONFIRM_KIND, settleDraft } from './flow.ts';
import { applyForm, draftSchema, takeoverFormSchema } from './draft.ts';

const TAMPERED = '卡片内容无效或已被修改，未作任何改动。请重新发起。';

export default defineCardAction({
  kind: CONFIRM_KIND,
  value: z.object({ a: z.literal(CONFIRM_KIND), t: z.string().min(8).max(64), c: z.coerce.number().int().positive().optional() }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, CONFIRM_KIND, ctx.actor.openId, ctx.now);
    const parsed = draftSchema.safeParse(token.payload);
    if (!parsed.success) throw new UserError(TAMPERED);
    let draft = parsed.data;
    const form = takeoverFormSchema.safeParse(ctx.action.formValue ?? {});
    if (!form.success) throw new UserError(TAMPERED);
    const chosenRaw = value.c ?? (form.data.compound !== undefined && form.data.compound !== '' ? Number(form.data.compound) : undefined);
    if (chosenRaw !== undefined) {
      // Only a compound the card offered may come back.
      if (!Number.isInteger(chosenRaw) || !(draft.choices.includes(chosenRaw) || draft.compoundId === chosenRaw)) throw new UserError(TAMPERED);
      draft = { ...draft, compoundId: chosenRaw };
    }
    draft = applyForm(draft, form.data, localDate(ctx.now, ctx.campaign.timezone));
    const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
    const { content, recorded } = await settleDraft(ctx, draft, compounds);
    if (content.type === 'card') {
      return { toast: recorded ? { type: 'success', content: '已记录' } : { type: 'info', content: '还需要补充信息，请继续填写' }, card: content.card };
    }
    return { toast: { type: 'info', content: content.type === 'text' ? content.text : '已处理' } };
  },
});
