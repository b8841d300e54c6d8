import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { lastActOf } from '../src/domain/undo.ts';
import { findGrievanceByCode } from '../src/domain/grievances.ts';
import { withdrawGrievance, withdrawWindowHours } from '../src/domain/grievance-withdraw.ts';
import { undoAndDescribe } from './takeover-kit/undo-reply.ts';

/** What a last act that 撤销 cannot revert was, in words. */
const CANNOT: Record<string, string> = {
  'grievance.accept': '受理诉求', 'grievance.transfer': '转办诉求', 'grievance.resolve': '办结诉求', 'grievance.withdraw': '撤回诉求',
  'report.confirm': '确认报送', bind: '绑定角色', unbind: '解绑角色', bindchat: '绑定工作群',
};

export default defineCommand({
  name: '撤销',
  aliases: ['undo'],
  summary: '撤销您本人最近的一次修改（入驻、类别、攻坚行动、备注、考核评分、奖补、不良记录、公示、业委会；刚登记的诉求则撤回）',
  readOnlySummary: '撤销您本人最近的一次考核评分或奖补等操作（小区信息由社区和街道维护）',
  usage: '撤销',
  examples: ['撤销'],
  // Anyone bound: it reverts only the person's own change (departments and leaders score and move 奖补 too).
  access: 'bound',
  args: z.object({ words: z.array(z.string()) }),
  async handler(ctx) {
    const last = await lastActOf(ctx.db, ctx.actor.openId);
    if (!last) {
      await ctx.reply({ type: 'text', text: '您还没有可以撤销的修改。' });
      return;
    }
    if (last.kind === 'change') {
      await ctx.reply({ type: 'text', text: (await undoAndDescribe(ctx, last.rows)).text });
      return;
    }
    if (last.kind === 'grievance') {
      const g = await findGrievanceByCode(ctx.db, ctx.campaign.id, last.code);
      if (!g) throw new UserError('没有找到您最近登记的诉求，未作改动。');
      try {
        await withdrawGrievance(ctx, g, '登记人撤销', { undoOf: last.row.id });
      } catch (err) {
        if (err instanceof UserError) throw new UserError(`您最近一次操作是登记诉求 ${g.code}（${g.compound}）。${err.message}`);
        throw err;
      }
      await ctx.reply({ type: 'text', text: `您最近一次操作是登记诉求 ${g.code}（${g.compound}），已将其撤回，不再计入未办结诉求。（登记后 ${withdrawWindowHours(ctx)} 小时内可撤回，也可发送“撤回 ${g.code}”。）` });
      return;
    }
    const what = CANNOT[last.row.action] ?? '这项操作';
    const ref = last.row.action.startsWith('grievance.') ? ` ${last.row.entity_id}` : '';
    throw new UserError(`您最近一次操作是${what}${ref}，“撤销”不能撤回这类操作，更早的修改也不会被撤销。未作改动。${last.row.action.startsWith('grievance.') ? '如需更正，请用“转办”或联系街道。' : ''}`);
  },
});
