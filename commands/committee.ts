import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canReadCommunity } from '../src/auth/scope.ts';
import { COMMITTEE_STATES, type CommitteeState, committeeStates } from '../src/domain/disclosure.ts';
import { listSubjectCompounds } from '../src/domain/assessments.ts';
import { withoutDates } from '../src/understanding/date-extract.ts';
import { committeeWord } from '../src/understanding/after-coverage-text.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';
import { todayOf } from './after-coverage/common.ts';
import { describeCommittee, requireRead, singleDate, writeCommittee } from './after-coverage/disclosure-write.ts';

/** Lists the compounds in the person's scope by committee state. */
async function summary(ctx: Parameters<typeof describeCommittee>[0]): Promise<string> {
  const compounds = (await listSubjectCompounds(ctx.db, ctx.campaign.id)).filter((c) => canReadCommunity(ctx.actor, c.communityId) || ctx.actor.role === 'department');
  const stateOf = await committeeStates(ctx.db, compounds.map((c) => c.id));
  const lines = COMMITTEE_STATES.map((s) => {
    const names = compounds.filter((c) => (stateOf.get(c.id) ?? '未成立') === s).map((c) => c.name);
    const shown = names.slice(0, 30).join('、') + (names.length > 30 ? ` 等${names.length}个` : '');
    return `- ${s}（${names.length}）${names.length ? `：${shown}` : ''}`;
  });
  return `业委会情况（共 ${compounds.length} 个小区，未登记的按未成立计）：\n${lines.join('\n')}`;
}

export default defineCommand({
  name: '业委会',
  aliases: ['业主委员会', 'committee', 'owners committee'],
  summary: '登记或查看小区业委会：未成立、筹备中、已成立、已备案',
  usage: '业委会 [小区] [未成立|筹备中|已成立|已备案] [日期]',
  examples: ['业委会 福源公寓 已成立 10月20日', '业委会 福源公寓 筹备中', '业委会 福源公寓', '业委会'],
  access: 'bound',
  args: z.object({ words: z.array(z.string()), rest: z.string() }),
  async handler(ctx, { rest }) {
    if (!rest.trim()) {
      await ctx.reply({ type: 'text', text: await summary(ctx) });
      return;
    }
    const onDate = singleDate(ctx, rest);
    const words = withoutDates(rest.normalize('NFKC'), todayOf(ctx)).split(/\s+/).filter(Boolean);
    let state: CommitteeState | null = null;
    const left: string[] = [];
    for (const w of words) {
      const s = committeeWord(w);
      if (s && state && s !== state) throw new UserError(`同时写了“${state}”和“${s}”，请只写一个状态。未作改动。`);
      if (s) state = s;
      else left.push(w);
    }
    // "福源公寓已成立": the state glued to the name.
    let name = left.join(' ');
    if (!state) {
      const glued = /(未成立|筹备中|已成立|已备案)$/.exec(name);
      if (glued) {
        state = glued[1] as CommitteeState;
        name = name.slice(0, -glued[1]!.length).trim();
      }
    }
    if (!name) throw new UserError('请写明小区，例如：业委会 福源公寓 已成立 10月20日');
    const c = await resolveNamedCompound(ctx, name, { lenient: !state });
    if (!state) {
      if (onDate) throw new UserError(`请写明业委会状态：${COMMITTEE_STATES.join('、')}。未作改动。`);
      requireRead(ctx, c);
      await ctx.reply({ type: 'text', text: await describeCommittee(ctx, c) });
      return;
    }
    await writeCommittee(ctx, c, state, onDate);
  },
});
