import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { lastChangeOf } from '../src/domain/undo.ts';
import { undoAndDescribe } from './takeover-kit/undo-reply.ts';

export default defineCommand({
  name: '撤销',
  aliases: ['undo'],
  summary: '撤销您本人最近一次的修改（入驻、类别、攻坚行动、考核评分、奖补、不良记录、公示、业委会）',
  usage: '撤销',
  examples: ['撤销'],
  // Anyone bound: it reverts only the person's own change (departments and leaders score and move 奖补 too).
  access: 'bound',
  args: z.object({ words: z.array(z.string()) }),
  async handler(ctx) {
    const rows = await lastChangeOf(ctx.db, ctx.actor.openId);
    if (!rows.length) {
      await ctx.reply({ type: 'text', text: '您还没有可以撤销的修改。' });
      return;
    }
    const done = await undoAndDescribe(ctx, rows);
    await ctx.reply({ type: 'text', text: done.text });
  },
});
