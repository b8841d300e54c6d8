/** The compound card's actions: open it from another card (更新 buttons), and save its edit form. */
import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import { consumeCardToken } from '../../src/domain/card-tokens.ts';
import type { CardContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { maskPhones } from '../../src/logger.ts';
import { canReadCommunity, canWriteCommunity, writeRefusal } from '../../src/auth/scope.ts';
import { localDate } from '../../src/calendar/dates.ts';
import { ACTION_STATES, UPGRADE_ACTIONS } from '../../src/campaign/schema.ts';
import { getCompound, type CompoundRef } from '../../src/domain/compound-lookup.ts';
import { compoundVersion } from '../../src/domain/compound-history.ts';
import { setActionState, setCategory } from '../../src/domain/compound-settings.ts';
import { currentTakeover, recordTakeover, snapshotOf, type TakeoverData } from '../../src/domain/takeover-write.ts';
import { SELF_MODE_NAMES, parseNatureWord } from '../../src/understanding/company-extract.ts';
import { parseDateField } from '../../src/understanding/date-extract.ts';
import { parseServicesField } from '../../src/understanding/detail-extract.ts';
import { parsePhoneField } from '../../src/understanding/phone-extract.ts';
import { buildCompoundCard, EDIT_KIND, OPEN_KIND } from './compound-view.ts';
import { takeoverRequirements } from '../../src/domain/gaps.ts';

const TAMPERED = '卡片内容无效或已被修改，未作任何改动。请重新发起。';

export const openCompound = defineCardAction({
  kind: OPEN_KIND,
  value: z.object({ a: z.literal(OPEN_KIND), c: z.coerce.number().int().positive() }),
  async handler(ctx, value) {
    const c = await getCompound(ctx.db, ctx.campaign.id, value.c);
    if (!c) throw new UserError(TAMPERED);
    if (!canReadCommunity(ctx.actor, c.communityId)) throw new UserError(`抱歉，您不能查看${c.community}的小区。`);
    await ctx.reply({ type: 'card', card: await buildCompoundCard(ctx, c.id) });
    return { toast: { type: 'info', content: `已发送${c.name}的小区卡片` } };
  },
});

// Lengths are checked where the takeover is stored, with a clear refusal (src/domain/field-limits.ts).
const optional = z.string().max(20_000).optional();
const editForm = z.object({
  category: z.enum(['1', '2', '3', '']).optional(),
  nature: optional, startDate: optional, company: optional, services: optional, manager: optional, phone: optional, remarks: optional,
  action0: z.enum([...ACTION_STATES, '']).optional(), action1: z.enum([...ACTION_STATES, '']).optional(),
  action2: z.enum([...ACTION_STATES, '']).optional(), action3: z.enum([...ACTION_STATES, '']).optional(),
});
type EditForm = z.infer<typeof editForm>;

/** The takeover the form asks for, or null when the form leaves the takeover as it is. */
async function desiredTakeover(ctx: CardContext, c: CompoundRef, f: EditForm): Promise<TakeoverData | null> {
  const row = await currentTakeover(ctx.db, c.id);
  const cur = row ? snapshotOf(row) : null;
  const keys = ['nature', 'startDate', 'company', 'services', 'manager', 'phone', 'remarks'] as const;
  if (!keys.some((k) => f[k] !== undefined && (f[k]!.trim() !== '' || cur))) return null;
  const text = (v: string | undefined, was: string | null) => (v === undefined ? was : v.normalize('NFKC').trim() || null);
  const natureText = text(f.nature, cur?.nature ?? null);
  const nature = natureText ? parseNatureWord(natureText) : null;
  if (natureText && !nature) throw new UserError('管理性质请选择“自主”或“外聘”。');
  let startDate = cur?.startDate ?? null;
  if (f.startDate !== undefined && f.startDate.trim() && f.startDate.trim() !== cur?.startDate) {
    const r = parseDateField(f.startDate, localDate(ctx.now, ctx.campaign.timezone));
    if (!r.date) throw new UserError(`${r.problem ?? '入驻时间无法识别'}，未作改动。`);
    startDate = r.date;
  }
  const company = text(f.company, cur?.company ?? null);
  const missing = takeoverRequirements({ nature, startDate, company });
  if (missing.length || !nature || !startDate) throw new UserError(`记录入驻信息还需要：${missing.join('、')}，请补充后再保存。未作改动。`);
  let phone = cur?.phone ?? null;
  const phoneText = f.phone?.trim();
  if (phoneText !== undefined && !(cur?.phone && (phoneText === cur.phone || phoneText === maskPhones(cur.phone)))) {
    if (phoneText === '') phone = null;
    else {
      const r = parsePhoneField(phoneText);
      if (!r.phone) throw new UserError(`${r.problem}，未作改动。`);
      phone = r.phone;
    }
  }
  return {
    nature, startDate, phone,
    company,
    services: f.services === undefined ? cur?.services ?? [] : parseServicesField(f.services),
    manager: text(f.manager, cur?.manager ?? null),
    // A 备注 the reader wrote (社区兜底) goes when the compound becomes 外聘; one a person wrote stays.
    remarks: f.remarks !== undefined
      ? text(f.remarks, cur?.remarks ?? null)
      : nature === '外聘' && cur?.remarks && SELF_MODE_NAMES.includes(cur.remarks) ? null : cur?.remarks ?? null,
  };
}

export const editCompound = defineCardAction({
  kind: EDIT_KIND,
  value: z.object({ a: z.literal(EDIT_KIND), t: z.string().min(8).max(64) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, EDIT_KIND, ctx.actor.openId, ctx.now);
    const p = z.object({ compoundId: z.number().int().positive(), mark: z.number().int().nonnegative() }).safeParse(token.payload);
    if (!p.success) throw new UserError(TAMPERED);
    const c = await getCompound(ctx.db, ctx.campaign.id, p.data.compoundId);
    if (!c) throw new UserError(TAMPERED);
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(writeRefusal(ctx.actor, c.community));
    if ((await compoundVersion(ctx.db, c.id)) > p.data.mark) throw new UserError(`${c.name}的数据在这张卡片发出后已有更新，未作改动。请重新打开小区卡片。`);
    const f = editForm.safeParse(ctx.action.formValue ?? {});
    if (!f.success) throw new UserError(TAMPERED);
    let changed = false;
    const takeover = await desiredTakeover(ctx, c, f.data);
    if (takeover) changed = (await recordTakeover(ctx, c.id, takeover)).changed || changed;
    if (f.data.category) changed = (await setCategory(ctx, c.id, Number(f.data.category) as 1 | 2 | 3)).changed || changed;
    if (c.track === 'upgrade') {
      for (const [i, action] of UPGRADE_ACTIONS.entries()) {
        const state = f.data[`action${i}` as 'action0'];
        if (state) changed = (await setActionState(ctx, c.id, action, state, null)).changed || changed;
      }
    }
    const card = await buildCompoundCard(ctx, c.id);
    return changed
      ? { toast: { type: 'success', content: '已保存。如需撤销，请发送“撤销”。' }, card }
      : { toast: { type: 'info', content: '没有改动。' }, card };
  },
});
