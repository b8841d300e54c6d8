import { z } from 'zod';
import { defineCommand, defineInterpreter } from '../src/bot/command.ts';
import type { BotContext, CardContext } from '../src/bot/context.ts';
import type { MatchableCompound } from '../src/understanding/compound-matcher.ts';
import { UserError } from '../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../src/auth/scope.ts';
import { UPGRADE_ACTIONS } from '../src/campaign/schema.ts';
import type { ActionState } from '../src/domain/compounds.ts';
import { setActionState } from '../src/domain/compound-settings.ts';
import { compoundTrack } from '../src/domain/compound-lookup.ts';
import { readIntent } from '../src/understanding/intent.ts';
import { prepareText } from '../src/understanding/text-fold.ts';
import { compoundOrAsk } from './takeover-kit/resolve.ts';

/** The words people use for the four 攻坚行动, longest first. */
const ACTION_WORDS: Array<[RegExp, string]> = [
  [/环境卫生/, '环境卫生'], [/道路设施/, '道路设施'], [/车辆停放/, '车辆停放'], [/服务质量/, '服务质量'],
  [/卫生|环境/, '环境卫生'], [/道路|设施/, '道路设施'], [/停车|车辆|停放/, '车辆停放'], [/服务/, '服务质量'],
];
/** States as people write them (好了, 搞定了, 正在推进, 还没开始 …); the longer forms first within each. */
const STATE_WORDS: Array<[RegExp, ActionState]> = [
  [/^(?:还没开始|没开始|未开始|尚未开始|尚未启动|未启动|没启动|没动)/, '未开始'],
  [/^(?:已经完成|已完成|完成了|完成|已办结|好了|搞定了|搞定|做完了|做完|弄好了|弄好|已整改|整改完成|整改完毕|完工|done)/i, '已完成'],
  [/^(?:进行中|正在进行中|正在进行|推进中|正在推进|在推进中|在推进|正在整治|正在整改|整改中|施工中|正在|在做|开始了|已开始|已启动|已经开始|开始整治|开始|进行|doing)/i, '进行中'],
];
/** Words between the action and its state that say nothing (车辆停放整治完成了, 服务质量提升正在推进). */
const BEFORE_STATE = /^(?:[\s,，:：]|整治|整改|提升|工作|行动|已经|现在|目前|都|也|的)*/;
/** What is left after the state when it says nothing either (…整治了). */
const EMPTY_NOTE = /^(?:[\s,，。.!！~～]|了|啦|中|的|整治|整改|工作|啊|呢)*$/;

/** The action named first in the text: a later mention belongs to the note (e.g. "道路设施 进行中 环境卫生已完成后…"). */
function firstActionWord(rest: string): { m: RegExpExecArray; action: string } | null {
  let best: { m: RegExpExecArray; action: string } | null = null;
  for (const [re, action] of ACTION_WORDS) {
    const m = re.exec(rest);
    if (m && (!best || m.index < best.m.index)) best = { m, action };
  }
  return best;
}

export function parseActionText(rest: string) {
  const found = firstActionWord(rest);
  if (found) {
    const { m, action } = found;
    const compound = rest.slice(0, m.index).trim();
    const after = rest.slice(m.index + m[0].length);
    const skipped = after.slice(BEFORE_STATE.exec(after)![0].length);
    for (const [sre, state] of STATE_WORDS) {
      const s = sre.exec(skipped);
      if (s) {
        const note = skipped.slice(s[0].length).trim().replace(/^[,，:：]\s*/, '');
        return { compound, action, state, note: EMPTY_NOTE.test(note) ? null : note };
      }
    }
    return { compound, action, state: null, note: null };
  }
  return { compound: rest, action: null, state: null, note: null };
}

/** Sets an upgrade action's state and says what changed. */
export async function applyAction(
  ctx: BotContext | CardContext, c: MatchableCompound, a: { action: string; state: ActionState; note: string | null },
): Promise<string> {
  if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(writeRefusal(ctx.actor, c.community));
  if ((await compoundTrack(ctx.db, c.id)) !== 'upgrade') throw new UserError(`${c.name}属于全覆盖任务，没有攻坚行动。攻坚行动只针对提升任务的小区。`);
  const r = await setActionState(ctx, c.id, a.action, a.state, a.note);
  if (!r.changed) return `${c.name}的${a.action}已经是“${a.state}”，无需修改。`;
  const from = r.before ? `（原为“${r.before.state}”）` : '';
  return `已将${c.name}的${a.action}设为“${a.state}”${from}${a.note ? `，说明：${a.note}` : ''}。如有误，请发送“撤销”。`;
}

async function actionFromText(ctx: BotContext, a: { compound: string; action: string; state: ActionState; note: string | null }): Promise<void> {
  const c = await compoundOrAsk(ctx, a.compound, { command: 'action', action: a.action, state: a.state, note: a.note });
  if (c) await ctx.reply({ type: 'text', text: await applyAction(ctx, c, a) });
}

export default defineCommand({
  name: '攻坚',
  aliases: ['action', '攻坚行动'],
  summary: '更新提升小区的攻坚行动状态（未开始、进行中、已完成）',
  usage: '攻坚 小区 环境卫生|道路设施|车辆停放|服务质量 未开始|进行中|已完成 [说明]',
  examples: ['攻坚 梅花园 环境卫生 已完成', '攻坚 龙珠百合 车辆停放 进行中 正在划线', '梅花园道路设施正在进行中（不写命令也可以）'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ rest: z.string() })
    .transform((i) => parseActionText(i.rest))
    .refine((i) => i.compound.length > 0, { message: '请写明小区' })
    .refine((i) => i.action !== null, { message: `请写明攻坚行动：${UPGRADE_ACTIONS.join('、')}` })
    .refine((i) => i.state !== null, { message: '请写明状态：未开始、进行中 或 已完成' }),
  async handler(ctx, { compound, action, state, note }) {
    await actionFromText(ctx, { compound, action: action!, state: state!, note });
  },
});

/** 梅花园道路设施正在进行中: an 攻坚 update written without the command word. */
export const actionInterpreter = defineInterpreter({
  name: 'action',
  match: (text) => readIntent(text).kind === 'action',
  async handler(ctx, text) {
    const a = parseActionText(prepareText(text).replace(/\s+/g, ' ').trim());
    if (!a.compound || !a.action || !a.state) {
      throw new UserError('没有看懂要更新哪个小区的哪项攻坚行动，未作改动。请写成：攻坚 梅花园 环境卫生 已完成');
    }
    await actionFromText(ctx, { compound: a.compound, action: a.action, state: a.state, note: a.note });
  },
});
