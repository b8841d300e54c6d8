import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../src/auth/scope.ts';
import { UPGRADE_ACTIONS } from '../src/campaign/schema.ts';
import type { ActionState } from '../src/domain/compounds.ts';
import { setActionState } from '../src/domain/compound-settings.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';

/** The words people use for the four 攻坚行动, longest first. */
const ACTION_WORDS: Array<[RegExp, string]> = [
  [/环境卫生/, '环境卫生'], [/道路设施/, '道路设施'], [/车辆停放/, '车辆停放'], [/服务质量/, '服务质量'],
  [/卫生|环境/, '环境卫生'], [/道路|设施/, '道路设施'], [/停车|车辆|停放/, '车辆停放'], [/服务/, '服务质量'],
];
const STATE_WORDS: Array<[RegExp, ActionState]> = [
  [/^(?:未开始|没开始|尚未开始|未启动)/, '未开始'],
  [/^(?:已完成|完成了|完成|已办结|done)/i, '已完成'],
  [/^(?:进行中|推进中|正在进行|正在推进|已开始|开始|进行|doing)/i, '进行中'],
];

/** The action named first in the text: a later mention belongs to the note (e.g. "道路设施 进行中 环境卫生已完成后…"). */
function firstActionWord(rest: string): { m: RegExpExecArray; action: string } | null {
  let best: { m: RegExpExecArray; action: string } | null = null;
  for (const [re, action] of ACTION_WORDS) {
    const m = re.exec(rest);
    if (m && (!best || m.index < best.m.index)) best = { m, action };
  }
  return best;
}

function parse(rest: string) {
  const found = firstActionWord(rest);
  if (found) {
    const { m, action } = found;
    const compound = rest.slice(0, m.index).trim();
    const after = rest.slice(m.index + m[0].length).trim();
    for (const [sre, state] of STATE_WORDS) {
      const s = sre.exec(after);
      if (s) return { compound, action, state, note: after.slice(s[0].length).trim().replace(/^[,，:：]\s*/, '') || null };
    }
    return { compound, action, state: null, note: null };
  }
  return { compound: rest, action: null, state: null, note: null };
}

export default defineCommand({
  name: '攻坚',
  aliases: ['action', '攻坚行动'],
  summary: '更新提升小区的攻坚行动状态（未开始、进行中、已完成）',
  usage: '攻坚 小区 环境卫生|道路设施|车辆停放|服务质量 未开始|进行中|已完成 [说明]',
  examples: ['攻坚 梅花园 环境卫生 已完成', '攻坚 龙珠百合 车辆停放 进行中 正在划线'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ rest: z.string() })
    .transform((i) => parse(i.rest))
    .refine((i) => i.compound.length > 0, { message: '请写明小区' })
    .refine((i) => i.action !== null, { message: `请写明攻坚行动：${UPGRADE_ACTIONS.join('、')}` })
    .refine((i) => i.state !== null, { message: '请写明状态：未开始、进行中 或 已完成' }),
  async handler(ctx, { compound, action, state, note }) {
    const c = await resolveNamedCompound(ctx, compound);
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(writeRefusal(ctx.actor, c.community));
    const track = await ctx.db.selectFrom('compounds').select('track').where('id', '=', c.id).executeTakeFirstOrThrow();
    if (track.track !== 'upgrade') throw new UserError(`${c.name}属于全覆盖任务，没有攻坚行动。攻坚行动只针对提升任务的小区。`);
    const r = await setActionState(ctx, c.id, action!, state!, note);
    if (!r.changed) {
      await ctx.reply({ type: 'text', text: `${c.name}的${action}已经是“${state}”，无需修改。` });
      return;
    }
    const from = r.before ? `（原为“${r.before.state}”）` : '';
    await ctx.reply({ type: 'text', text: `已将${c.name}的${action}设为“${state}”${from}${note ? `，说明：${note}` : ''}。如有误，请发送“撤销”。` });
  },
});
