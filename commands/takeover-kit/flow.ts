/**
 * From a takeover report to a recorded takeover: records it when everything is clear, otherwise replies with
 * a confirmation card and writes nothing until the person confirms.
 */
import { requireTakeoverWithinLimits } from '../../src/domain/field-limits.ts';
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import type { OutgoingContent } from '../../src/bot/types.ts';
import { UserError } from '../../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../../src/auth/scope.ts';
import { localDate } from '../../src/calendar/dates.ts';
import { CONFIDENT_SCORE, type MatchableCompound, resolveCompound } from '../../src/understanding/compound-matcher.ts';
import { readTakeoverReport } from '../../src/understanding/takeover-report.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { auditHighWater, compoundVersion } from '../../src/domain/compound-history.ts';
import { currentTakeover, recordTakeover, type TakeoverData } from '../../src/domain/takeover-write.ts';
import { setCategory } from '../../src/domain/compound-settings.ts';
import { confirmCard } from '../../cards/takeover-confirm.ts';
import { recordedCard } from '../../cards/takeover-recorded.ts';
import { type Draft, mergedTakeover, missingOf } from './draft.ts';

export const CONFIRM_KIND = 'takeover.confirm';
/** The most compounds a confirmation card offers to choose from (a drop-down of them stays within Lark's card limits). */
const MAX_CHOICES = 100;
export const UNDO_KIND = 'change.undo';

type Ctx = BotContext | CardContext;

export const maskPhoneIn = (ctx: Ctx) => ctx.chat.type === 'group';

/** The compounds this person may write, of a list. */
function writable(ctx: Ctx, list: MatchableCompound[]): MatchableCompound[] {
  return list.filter((c) => canWriteCommunity(ctx.actor, c.communityId));
}

/** Reads a takeover report from a message and answers it (records, asks, or refuses). */
export async function handleTakeoverText(ctx: BotContext, text: string): Promise<void> {
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  // Dates are read against the day the message was sent, in the campaign's zone.
  const today = localDate(new Date(ctx.message.sentAt), ctx.campaign.timezone);
  const reading = readTakeoverReport(text, compounds, today);
  if (reading.problems.length) throw new UserError(`${reading.problems.join('；')}。未作记录，请修改后重新发送。`);
  requireTakeoverWithinLimits(reading.fields);
  const resolution = resolveCompound(reading.candidates);
  const notes: string[] = [];
  let compoundId: number | null = null;
  let choices: MatchableCompound[] = [];
  if (resolution.kind === 'one' && resolution.candidate.score >= CONFIDENT_SCORE) {
    const c = resolution.candidate.compound;
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(`${writeRefusal(ctx.actor, c.community)}未作记录。`);
    compoundId = c.id;
  } else if (resolution.kind === 'one' || resolution.kind === 'ambiguous') {
    const named = resolution.kind === 'one' ? [resolution.candidate] : resolution.candidates;
    choices = writable(ctx, named.map((n) => n.compound));
    if (!choices.length) throw new UserError(`${writeRefusal(ctx.actor, named[0]!.compound.community)}未作记录。`);
    notes.push(resolution.kind === 'one' ? `没有完全对上小区名称，请确认是否为“${named[0]!.compound.name}”` : `消息中的小区名称可能指：${named.map((n) => n.compound.name).join('、')}，请选择`);
  } else {
    choices = ctx.actor.role === 'community' ? compounds.filter((c) => c.communityId === ctx.actor.communityId) : writable(ctx, compounds);
    if (!choices.length) throw new UserError(writeRefusal(ctx.actor, '该'));
    // A list longer than a card can hold is no help: ask for the name instead.
    if (choices.length > MAX_CHOICES) throw new UserError('没有从消息中找到小区名称，未作记录。请写明小区名称后重新发送，例如：福源公寓已入驻，鑫安物业，外聘，9月20日');
    notes.push('没有从消息中找到小区名称，请选择');
  }
  if (reading.natureConflict) notes.push('消息中同时写了“自主”和“外聘”，请选择管理性质');
  const draft: Draft = {
    compoundId, choices: choices.map((c) => c.id), ...reading.fields,
    natureInferred: reading.natureInferred, natureConflict: reading.natureConflict,
    mark: await auditHighWater(ctx.db),
  };
  await ctx.reply((await settleDraft(ctx, draft, compounds, notes)).content);
}

/**
 * Records the draft when nothing is missing and returns the result card; otherwise issues a confirmation card
 * (with a fresh single-use token) and writes nothing.
 */
export async function settleDraft(
  ctx: Ctx, draft: Draft, compounds: MatchableCompound[], notes: string[] = [],
): Promise<{ content: OutgoingContent; recorded: boolean }> {
  const compound = draft.compoundId ? compounds.find((c) => c.id === draft.compoundId) : undefined;
  if (draft.compoundId && !compound) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
  const current = compound ? await currentTakeover(ctx.db, compound.id) : undefined;
  const merged = mergedTakeover(draft, current);
  const missing = missingOf(draft, merged);
  if (missing.length || notes.length) {
    const mark = await auditHighWater(ctx.db);
    const token = await ctx.issueCardToken(CONFIRM_KIND, { ...draft, mark });
    const choices = draft.choices.map((id) => compounds.find((c) => c.id === id)).filter((c): c is MatchableCompound => Boolean(c));
    return {
      recorded: false,
      content: { type: 'card', card: confirmCard({
        compound: compound ? { name: compound.name, community: compound.community } : null,
        fields: { ...draft, company: merged.company ?? null, nature: draft.natureConflict ? null : merged.nature ?? null, startDate: merged.startDate ?? null, services: merged.services ?? [], manager: merged.manager ?? null, phone: merged.phone ?? null },
        natureInferred: draft.natureInferred && !draft.natureConflict,
        missing, notes,
        choices: choices.map((c) => ({ id: c.id, name: c.name, community: c.community })),
        maskPhone: maskPhoneIn(ctx),
        confirm: { kind: CONFIRM_KIND, token },
      }) },
    };
  }
  const c = compound!;
  if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(`${writeRefusal(ctx.actor, c.community)}未作记录。`);
  if ((await compoundVersion(ctx.db, c.id)) > draft.mark) {
    throw new UserError(`${c.name}的数据在这张卡片发出后已有更新，未作改动。请重新发送要记录的内容。`);
  }
  const result = await recordTakeover(ctx, c.id, merged as TakeoverData);
  const category = draft.category ? await setCategory(ctx, c.id, draft.category) : null;
  const auditIds = [result.auditId, category?.auditId ?? null].filter((x): x is number => x !== null);
  if (!auditIds.length) return { recorded: false, content: { type: 'text', text: `${c.name}的入驻信息与已有记录一致，无需修改。` } };
  const undo = await ctx.issueCardToken(UNDO_KIND, { auditIds });
  return {
    recorded: true,
    content: { type: 'card', card: recordedCard({
      compound: c.name, community: c.community,
      takeover: result.changed ? result.after : null,
      correction: result.changed && result.before !== null,
      category: category?.changed ? { before: category.before, after: draft.category! } : null,
      maskPhone: maskPhoneIn(ctx),
      undo: { kind: UNDO_KIND, token: undo },
    }) },
  };
}
