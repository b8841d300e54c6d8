/**
 * From a takeover report to a recorded takeover: records it when every part of the message was understood and
 * nothing is missing; otherwise replies with a confirmation card (prefilled, with what was not understood) and
 * writes nothing until the person confirms. Several compounds in one message get one card with a reading each.
 */
import { requireTakeoverWithinLimits } from '../../src/domain/field-limits.ts';
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import type { OutgoingContent } from '../../src/bot/types.ts';
import { UserError } from '../../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../../src/auth/scope.ts';
import { localDate } from '../../src/calendar/dates.ts';
import { maskPhones } from '../../src/logger.ts';
import type { MatchableCompound } from '../../src/understanding/compound-matcher.ts';
import { type CompoundReading, isSureMention, isTooLongToRead, readTakeoverReport } from '../../src/understanding/takeover-report.ts';
import { MAX_READ_CHARS } from '../../src/understanding/text-fold.ts';
import { loadMatchableCompounds } from '../../src/domain/compound-lookup.ts';
import { auditHighWater, compoundVersion } from '../../src/domain/compound-history.ts';
import { currentTakeover, recordTakeover, type TakeoverData } from '../../src/domain/takeover-write.ts';
import { setCategory } from '../../src/domain/compound-settings.ts';
import { confirmCard } from '../../cards/takeover-confirm.ts';
import { type GroupSection, groupCard } from '../../cards/takeover-group.ts';
import { recordedCard } from '../../cards/takeover-recorded.ts';
import { type Draft, mergedTakeover, missingOf } from './draft.ts';

export const CONFIRM_KIND = 'takeover.confirm';
export const GROUP_KIND = 'takeover.group';
/** The most compounds a confirmation card offers to choose from (a drop-down of them stays within Lark's card limits). */
const MAX_CHOICES = 100;
export const UNDO_KIND = 'change.undo';
/** Compounds one message may report together (the card stays within Lark's element limit). */
export const MAX_GROUP = 10;

type Ctx = BotContext | CardContext;

export const maskPhoneIn = (ctx: Ctx) => ctx.chat.type === 'group';
/** A recorded phone as this chat may see it. */
const shownPhone = (ctx: Ctx, phone: string) => (maskPhoneIn(ctx) ? maskPhones(phone) : phone);

/** The compounds this person may write, of a list. */
function writable(ctx: Ctx, list: MatchableCompound[]): MatchableCompound[] {
  return list.filter((c) => canWriteCommunity(ctx.actor, c.communityId));
}

export const TOO_LONG = (n: number) =>
  `您的消息较长（约${n}字），超出自动识别的范围（${MAX_READ_CHARS}字以内），未作记录。请精简或分条发送，每条写一个小区的情况。`;

interface Prepared {
  draft: Draft;
  notes: string[];
}

/** The compound a reading is about, or the compounds to choose from, with what to say about the choice. */
function compoundOf(ctx: Ctx, reading: CompoundReading, compounds: MatchableCompound[]): { id: number | null; choices: MatchableCompound[]; note: string | null } {
  const m = reading.mention;
  if (m && isSureMention(m)) {
    const c = m.candidates[0]!.compound;
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(`${writeRefusal(ctx.actor, c.community)}未作记录。`);
    return { id: c.id, choices: [], note: null };
  }
  if (m) {
    const top = m.candidates[0]!.score;
    const close = m.candidates.filter((c) => c.score >= top - 0.2).map((c) => c.compound);
    const choices = writable(ctx, close);
    if (!choices.length) throw new UserError(`${writeRefusal(ctx.actor, close[0]!.community)}未作记录。`);
    const names = choices.map((c) => `“${c.name}”`).join('、');
    const note = m.candidates[0]!.fuzzy
      ? `没有找到“${reading.mentionText}”，您是不是指${names}？请点选`
      : `“${reading.mentionText}”可能指：${names}，请选择`;
    return { id: null, choices, note };
  }
  const own = ctx.actor.role === 'community' ? compounds.filter((c) => c.communityId === ctx.actor.communityId) : writable(ctx, compounds);
  if (!own.length) throw new UserError(writeRefusal(ctx.actor, '该'));
  // A list longer than a card can hold is no help: ask for the name instead.
  if (own.length > MAX_CHOICES) throw new UserError('没有从消息中找到小区名称，未作记录。请写明小区名称后重新发送，例如：福源公寓已入驻，鑫安物业，外聘，9月20日');
  return { id: null, choices: own, note: '没有从消息中找到小区名称，请选择' };
}

/** A draft from one reading, checked against what is recorded for the compound. */
async function prepare(ctx: Ctx, reading: CompoundReading, compounds: MatchableCompound[], mark: number): Promise<Prepared> {
  const target = compoundOf(ctx, reading, compounds);
  const notes = [...(target.note ? [target.note] : []), ...reading.doubts];
  if (reading.leftovers.length) notes.push(`没有看懂：${reading.leftovers.map((w) => `“${w.slice(0, 30)}”`).join('、')}，请核对后确认`);
  const f = { ...reading.fields };
  const current = target.id ? await currentTakeover(ctx.db, target.id) : undefined;
  if (reading.companyRef) {
    if (current?.company && current.company.startsWith(reading.companyRef)) f.company = current.company;
    else {
      f.company = reading.companyRef;
      notes.push(`物业企业只写了“${reading.companyRef}”，请填写企业全称`);
    }
  }
  const otherCompany = Boolean(current?.company && f.company && f.company !== current.company);
  if (current && otherCompany && reading.fix) {
    // A correction of the company's name changes only what it names: the manager and phone stay unless written.
    if (!f.manager && !f.phone) {
      f.manager = current.manager;
      f.phone = current.phone;
    } else if (f.manager && f.manager === current.manager && !f.phone) f.phone = current.phone;
  } else if (current && otherCompany && !f.manager && !f.phone && (current.manager || current.phone)) {
    // Another company has its own people; whether the old manager and phone go with it is the person's call.
    const phone = current.phone ? shownPhone(ctx, current.phone) : '';
    const who = [current.manager ? `负责人${current.manager}` : '', phone ? `电话${phone}` : ''].filter(Boolean).join('、');
    notes.push(`物业企业由“${current.company}”改为“${f.company}”，原${who}不再保留；如仍有效或已有新的负责人，请在下方填写`);
  }
  // A new manager keeps the old one's number only if the person says so.
  if (current && f.manager && current.manager && f.manager !== current.manager && !f.phone && current.phone && (!f.company || f.company === current.company || reading.fix)) {
    notes.push(`负责人改为${f.manager}，联系电话${shownPhone(ctx, current.phone)}是否仍然有效？请核对`);
  }
  return {
    draft: {
      compoundId: target.id, choices: target.choices.map((c) => c.id),
      company: f.company, nature: f.nature, startDate: f.startDate, services: f.services, manager: f.manager, phone: f.phone,
      category: f.category, remarks: f.remarks, natureInferred: reading.natureInferred, natureConflict: reading.natureConflict, mark,
    },
    notes,
  };
}

/** Reads a takeover report and answers it: records, asks with a card, or refuses. `sentAt` dates the message. */
export async function takeoverReply(ctx: Ctx, text: string, sentAt: string): Promise<OutgoingContent> {
  if (isTooLongToRead(text)) throw new UserError(TOO_LONG(text.length));
  const compounds = await loadMatchableCompounds(ctx.db, ctx.campaign.id);
  // Dates are read against the day the message was sent, in the campaign's zone.
  const today = localDate(new Date(sentAt), ctx.campaign.timezone);
  const reading = readTakeoverReport(text, compounds, today, [ctx.campaign.district, ctx.campaign.street]);
  if (reading.problems.length) throw new UserError(`${reading.problems.join('；')}。未作记录，请修改后重新发送。`);
  for (const r of reading.readings) requireTakeoverWithinLimits(r.fields);
  const mark = await auditHighWater(ctx.db);
  if (reading.readings.length > MAX_GROUP) throw new UserError(`一条消息最多写${MAX_GROUP}个小区，这条写了${reading.readings.length}个，未作记录。请分条发送。`);
  if (reading.readings.length > 1) {
    const prepared: Prepared[] = [];
    for (const r of reading.readings) prepared.push(await prepare(ctx, r, compounds, mark));
    return groupReply(ctx, prepared.map((p) => p.draft), prepared.map((p) => p.notes), [], compounds);
  }
  const { draft, notes } = await prepare(ctx, reading.readings[0]!, compounds, mark);
  return (await settleDraft(ctx, draft, compounds, notes)).content;
}

/** Reads a takeover report from a message and replies to it. */
export async function handleTakeoverText(ctx: BotContext, text: string): Promise<void> {
  await ctx.reply(await takeoverReply(ctx, text, ctx.message.sentAt));
}

/** The card with one section per compound; each section is confirmed on its own. */
export async function groupReply(
  ctx: Ctx, drafts: Draft[], notes: string[][], done: Array<{ index: number; note: string }>, compounds: MatchableCompound[],
): Promise<OutgoingContent> {
  const sections: GroupSection[] = [];
  for (const [index, d] of drafts.entries()) {
    const compound = d.compoundId ? compounds.find((c) => c.id === d.compoundId) ?? null : null;
    const current = compound ? await currentTakeover(ctx.db, compound.id) : undefined;
    const merged = mergedTakeover(d, current);
    const missing = missingOf(d, merged);
    const finished = done.find((x) => x.index === index);
    const token = finished ? null : await ctx.issueCardToken(GROUP_KIND, { drafts, notes, index, done });
    sections.push({
      compound: compound ? { name: compound.name, community: compound.community } : null,
      choices: d.choices.map((id) => compounds.find((c) => c.id === id)?.name).filter((n): n is string => Boolean(n)),
      fields: {
        company: merged.company ?? null, nature: d.natureConflict ? null : merged.nature ?? null, startDate: merged.startDate ?? null,
        services: merged.services ?? [], manager: merged.manager ?? null, phone: merged.phone ?? null, remarks: merged.remarks ?? null, category: d.category,
      },
      notes: notes[index] ?? [],
      missing,
      done: finished?.note ?? null,
      action: token ? { kind: GROUP_KIND, token, complete: missing.length === 0 && (notes[index] ?? []).length === 0 } : null,
    });
  }
  return { type: 'card', card: groupCard(sections, { maskPhone: maskPhoneIn(ctx) }) };
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
        fields: { ...draft, company: merged.company ?? null, nature: draft.natureConflict ? null : merged.nature ?? null, startDate: merged.startDate ?? null, services: merged.services ?? [], manager: merged.manager ?? null, phone: merged.phone ?? null, remarks: merged.remarks ?? null },
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
