import { z } from 'zod';
import { readIntent } from '../src/understanding/intent.ts';
import { defineCardAction, defineCommand, defineInterpreter } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import type { OutgoingContent } from '../src/bot/types.ts';
import { consumeCardToken } from '../src/domain/card-tokens.ts';
import { UserError } from '../src/errors.ts';
import { MAX_READ_CHARS } from '../src/understanding/text-fold.ts';
import { type GrievancePart, grievancePartsCard } from '../cards/grievance-intake.ts';
import { originalTail } from './grievances/raw-text.ts';
import { forChat } from './grievances/present.ts';
import { MAX_GRIEVANCE_TEXT, NO_COMPOUND_MESSAGE, choiceCard, lookupCompound, matchableCompounds, recordGrievance } from './grievances/record.ts';

export const PART_KIND = 'g-part';
const MENTION_KEY = /@_user_\d+|@_all/g;

function requireRecorder(ctx: BotContext | CardContext): void {
  if (!['admin', 'street', 'community'].includes(ctx.actor.role ?? '')) {
    throw new UserError('抱歉，登记诉求仅限社区工作人员、街道和管理员。职责部门请用“受理 / 转办 / 办结”办理分派给本部门的诉求。');
  }
}

interface PartsPayload {
  parts: Array<{ compoundId: number; text: string }>;
  done: Array<{ index: number; code: string }>;
}

async function partsCard(ctx: BotContext | CardContext, p: PartsPayload): Promise<OutgoingContent> {
  const compounds = await matchableCompounds(ctx);
  const parts: GrievancePart[] = [];
  for (const [index, part] of p.parts.entries()) {
    const done = p.done.find((d) => d.index === index);
    const token = done ? null : await ctx.issueCardToken(PART_KIND, { ...p, index });
    parts.push({
      compound: compounds.find((c) => c.id === part.compoundId)?.name ?? '',
      text: forChat(ctx, part.text),
      code: done?.code ?? null,
      button: token ? { a: PART_KIND, t: token } : null,
    });
  }
  return { type: 'card', card: grievancePartsCard(parts) };
}

/**
 * Records a grievance from what the person wrote, or asks which compound (a near match, several that fit, one
 * part per compound). `raw` is the message as typed, to keep its punctuation in the stored text.
 */
export async function grievanceReply(ctx: BotContext | CardContext, text: string, opts: { firstWordIsCompound: boolean; raw?: string }): Promise<OutgoingContent> {
  requireRecorder(ctx);
  if (text.length > Math.max(MAX_GRIEVANCE_TEXT, MAX_READ_CHARS)) {
    throw new UserError(`诉求内容较长（约${text.length}字），请精简到${MAX_GRIEVANCE_TEXT}字以内后再发送，未作登记。`);
  }
  const found = await lookupCompound(ctx, text, { firstWordIsCompound: opts.firstWordIsCompound });
  if (found.kind === 'none') throw new UserError(NO_COMPOUND_MESSAGE);
  if (found.kind === 'ambiguous') return { type: 'card', card: await choiceCard(ctx, text, found.candidates, found.written) };
  if (found.kind === 'several') {
    return partsCard(ctx, { parts: found.parts.map((p) => ({ compoundId: p.compound.id, text: p.text })), done: [] });
  }
  const { summary } = await recordGrievance(ctx, found.compound, opts.raw ? originalTail(opts.raw, found.problem) : found.problem);
  return { type: 'text', text: summary };
}

export const grievanceCommand = defineCommand({
  name: '投诉',
  aliases: ['纠纷', 'grievance'],
  summary: '登记群众诉求，并按职责分派给相关部门',
  usage: '投诉 小区 诉求内容',
  examples: ['投诉 锦绣花园 3号楼电梯坏了', '诉求 欧亚城 地下室老鼠很多', '锦绣花园 2号楼电梯三天两头停运（不写命令也可以）'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ rest: z.string() })
    .refine((i) => i.rest.length > 0, { message: '请写明小区和诉求内容' })
    .refine((i) => i.rest.split(' ').length >= 2 || i.rest.length >= 6, { message: '请写明小区和诉求内容' })
    .transform((i) => ({ text: i.rest })),
  async handler(ctx, { text }) {
    await ctx.reply(await grievanceReply(ctx, text, { firstWordIsCompound: true, raw: ctx.message.text }));
  },
});

/** A resident's problem written without 投诉 (锦绣花园 2号楼电梯三天两头停运): the intent reader decides. */
export function looksLikeGrievance(text: string): boolean {
  return readIntent(text).kind === 'grievance';
}

/** Understands "锦绣花园3号楼电梯坏了，居民反映多次" without a command word. */
export const grievanceInterpreter = defineInterpreter({
  name: 'grievance',
  match: looksLikeGrievance,
  async handler(ctx, text) {
    const plain = text.replace(MENTION_KEY, ' ').replace(/[\s\u3000]+/g, ' ').trim();
    await ctx.reply(await grievanceReply(ctx, plain, { firstWordIsCompound: false, raw: ctx.message.text }));
  },
});

const partsPayload = z.object({
  parts: z.array(z.object({ compoundId: z.number().int().positive(), text: z.string().min(1).max(MAX_GRIEVANCE_TEXT) })).min(2).max(10),
  done: z.array(z.object({ index: z.number().int().nonnegative(), code: z.string().max(20) })),
  index: z.number().int().nonnegative(),
});

/** One part of a several-compounds grievance: records that compound's own words only. */
export const grievancePartAction = defineCardAction({
  kind: PART_KIND,
  value: z.object({ a: z.literal(PART_KIND), t: z.string().min(8).max(64) }),
  async handler(ctx, value) {
    const token = await consumeCardToken(ctx.db, value.t, PART_KIND, ctx.actor.openId, ctx.now);
    const p = partsPayload.safeParse(token.payload);
    if (!p.success || p.data.index >= p.data.parts.length) throw new UserError('卡片内容无效或已被修改，未作任何改动。请重新发起。');
    const part = p.data.parts[p.data.index]!;
    const compound = (await matchableCompounds(ctx)).find((c) => c.id === part.compoundId);
    if (!compound) throw new UserError('没有找到该小区，未作改动。');
    requireRecorder(ctx);
    const { grievance } = await recordGrievance(ctx, compound, part.text);
    const next = await partsCard(ctx, { parts: p.data.parts, done: [...p.data.done, { index: p.data.index, code: grievance.code }] });
    return { toast: { type: 'success', content: `已登记诉求 ${grievance.code}` }, card: next.type === 'card' ? next.card : undefined };
  },
});

export default grievanceCommand;
