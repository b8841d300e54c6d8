/** 福源公寓还没入驻 / 建行宿舍准备下周签合同: acknowledged, nothing written. */
import { defineInterpreter } from '../../src/bot/command.ts';
import { readIntent } from '../../src/understanding/intent.ts';
import { canSee, namedCompound, takeoverSummary } from './answers.ts';

const EXAMPLE = '福源公寓已入驻，鑫安物业，外聘，9月20日进驻，负责人王强 13905321234';

export default defineInterpreter({
  name: 'not-yet',
  match: (text) => readIntent(text).kind === 'not-yet',
  async handler(ctx, text) {
    const { compound } = await namedCompound(ctx, text);
    if (compound && canSee(ctx, compound) && compound.takeover) {
      await ctx.reply({
        type: 'text',
        text: `${takeoverSummary(ctx, compound)}\n如登记有误，请直接发送正确的入驻信息更正，或发送“撤销”撤销您本人最近一次的修改。本条消息未作记录。`,
      });
      return;
    }
    const name = compound && canSee(ctx, compound) ? compound.name : '该小区';
    await ctx.reply({ type: 'text', text: `好的，已知悉${name}暂未入驻，未作记录。物业入驻后请发送入驻信息，例如：${EXAMPLE}` });
  },
});
