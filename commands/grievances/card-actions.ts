import { z } from 'zod';
import { defineCardAction } from '../../src/bot/command.ts';
import type { CardContext } from '../../src/bot/context.ts';
import { consumeCardToken, readCardToken } from '../../src/domain/card-tokens.ts';
import { UserError } from '../../src/errors.ts';
import { listDepartments } from '../../src/domain/campaign.ts';
import {
  type GrievanceView, acceptGrievance, assignGrievance, findGrievanceById, requireHandler, resolveGrievance, transferGrievance,
} from '../../src/domain/grievances.ts';
import { GRIEVANCE_ACTIONS, grievanceCard, transferFormCard } from '../../cards/grievance.ts';
import { card, markdown, md } from '../../cards/kit.ts';
import { buildGrievanceCard, cardView, deliverToDepartment } from './present.ts';
import { matchableCompounds, recordGrievance } from './record.ts';

const tokenValue = (kind: string) => z.object({ a: z.literal(kind), t: z.string().min(8).max(64) });
const grievancePayload = z.object({ grievanceId: z.number().int() });

async function grievanceOf(ctx: CardContext, payload: Record<string, unknown>): Promise<GrievanceView> {
  const p = grievancePayload.safeParse(payload);
  const g = p.success ? await findGrievanceById(ctx.db, p.data.grievanceId) : null;
  if (!g) throw new UserError('没有找到这件诉求，未作改动。');
  return g;
}

function who(ctx: CardContext): string {
  return ctx.actor.name ?? ctx.actor.departmentName ?? ctx.actor.communityName ?? '';
}

export const acceptAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.accept,
  value: tokenValue(GRIEVANCE_ACTIONS.accept),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.accept, ctx.actor.openId, ctx.now);
    const after = await acceptGrievance(ctx, await grievanceOf(ctx, token.payload));
    return { toast: { type: 'success', content: `已受理诉求 ${after.code}` }, card: await buildGrievanceCard(ctx, after, `${who(ctx)} 已受理`) };
  },
});

export const transferOpenAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.transferOpen,
  value: tokenValue(GRIEVANCE_ACTIONS.transferOpen),
  async handler(ctx, value) {
    const token = await readCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.transferOpen, ctx.now);
    const g = await grievanceOf(ctx, token.payload);
    requireHandler(ctx.actor, g);
    if (g.status === '已办结') throw new UserError(`诉求 ${g.code} 已办结，不能再转办。`);
    const departments = (await listDepartments(ctx.db, ctx.campaign.id)).filter((d) => d.id !== g.departmentId);
    const submit = await ctx.issueCardToken(GRIEVANCE_ACTIONS.transfer, { grievanceId: g.id });
    return { card: transferFormCard(await cardView(ctx, g), departments, submit) };
  },
});

const transferForm = z.object({
  department: z.string().regex(/^\d+$/, '请选择要转办的部门'),
  reason: z.string().max(20_000).optional().nullable(),
});

export const transferAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.transfer,
  value: tokenValue(GRIEVANCE_ACTIONS.transfer),
  async handler(ctx, value) {
    const form = transferForm.safeParse(ctx.action.formValue ?? {});
    if (!form.success) throw new UserError('请选择要转办的部门。');
    const departmentId = Number(form.data.department);
    const to = (await listDepartments(ctx.db, ctx.campaign.id)).find((d) => d.id === departmentId);
    if (!to) throw new UserError('所选部门无效，请重新选择。');
    const token = await consumeCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.transfer, ctx.actor.openId, ctx.now);
    const g = await grievanceOf(ctx, token.payload);
    const reason = form.data.reason?.trim() || null;
    const after = await transferGrievance(ctx, g, to, reason);
    const where = await deliverToDepartment(ctx, after);
    const note = `${who(ctx)} 已转至${to.name}${reason ? `（${reason}）` : ''}${where ? `，已通知${where}` : ''}`;
    return { toast: { type: 'success', content: `已转办至${to.name}` }, card: grievanceCard(await cardView(ctx, after, note)) };
  },
});

const resolveForm = z.object({ result: z.string().trim().min(1).max(20_000) });

export const resolveAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.resolve,
  value: tokenValue(GRIEVANCE_ACTIONS.resolve),
  async handler(ctx, value) {
    const form = resolveForm.safeParse(ctx.action.formValue ?? {});
    if (!form.success) throw new UserError('请填写办理结果后再点“办结”。');
    const token = await consumeCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.resolve, ctx.actor.openId, ctx.now);
    const after = await resolveGrievance(ctx, await grievanceOf(ctx, token.payload), form.data.result);
    return { toast: { type: 'success', content: `诉求 ${after.code} 已办结` }, card: grievanceCard(await cardView(ctx, after, `${who(ctx)} 已办结`)) };
  },
});

const pickPayload = z.object({ text: z.string().min(1), compoundIds: z.array(z.number().int()).min(1) });

export const pickAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.pick,
  value: z.object({ a: z.literal(GRIEVANCE_ACTIONS.pick), t: z.string().min(8).max(64), c: z.coerce.number().int() }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.pick, ctx.actor.openId, ctx.now);
    const p = pickPayload.safeParse(token.payload);
    if (!p.success || !p.data.compoundIds.includes(value.c)) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    const compound = (await matchableCompounds(ctx)).find((c) => c.id === value.c);
    if (!compound) throw new UserError('没有找到该小区，未作改动。');
    const { grievance, summary } = await recordGrievance(ctx, compound, p.data.text);
    return {
      toast: { type: 'success', content: `已登记诉求 ${grievance.code}` },
      card: card(`已登记诉求 ${grievance.code}`, [markdown(md(summary))], { template: 'green' }),
    };
  },
});

const routePayload = z.object({ grievanceId: z.number().int(), fromDepartmentId: z.number().int(), departmentIds: z.array(z.number().int()).min(1) });

/** A department button on the card of a grievance the router was unsure about: routes it there; teaches the router. */
export const routeChoiceAction = defineCardAction({
  kind: GRIEVANCE_ACTIONS.route,
  value: z.object({ a: z.literal(GRIEVANCE_ACTIONS.route), t: z.string().min(8).max(64), d: z.coerce.number().int() }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, GRIEVANCE_ACTIONS.route, ctx.actor.openId, ctx.now);
    const p = routePayload.safeParse(token.payload);
    if (!p.success || !p.data.departmentIds.includes(value.d)) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    const to = (await listDepartments(ctx.db, ctx.campaign.id)).find((d) => d.id === value.d);
    if (!to) throw new UserError('所选部门无效，未作改动。');
    const g = await grievanceOf(ctx, { grievanceId: p.data.grievanceId });
    // A choice offered on another card may already have been made: only a grievance still where it was moves.
    if (g.departmentId !== p.data.fromDepartmentId) throw new UserError(`诉求 ${g.code} 已分派至${g.department ?? '其他部门'}，未作改动。`);
    const after = await assignGrievance(ctx, g, to);
    const where = await deliverToDepartment(ctx, after);
    const note = `${who(ctx)} 已分派至${to.name}${where ? `，已通知${where}` : ''}`;
    return { toast: { type: 'success', content: `已分派至${to.name}` }, card: grievanceCard(await cardView(ctx, after, note)) };
  },
});

export const grievanceCardActions = [acceptAction, transferOpenAction, transferAction, resolveAction, pickAction, routeChoiceAction];
