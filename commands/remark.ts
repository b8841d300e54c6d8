import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { canWriteCommunity, writeRefusal } from '../src/auth/scope.ts';
import { currentTakeover, recordTakeover, snapshotOf } from '../src/domain/takeover-write.ts';
import { originalTail } from './grievances/raw-text.ts';
import { resolveNamedCompound } from './takeover-kit/resolve.ts';
import { forChat } from './grievances/present.ts';

export const MAX_REMARKS = 200;
const CLEAR = new Set(['无', '清除', '删除', '空', '-', 'none', 'clear']);

export default defineCommand({
  name: '备注',
  aliases: ['remark', 'remarks'],
  summary: '写入或修改小区入驻信息的备注（调度表“备注”一栏）',
  usage: '备注 小区 备注内容（写“无”清除）',
  examples: ['备注 福源公寓 业委会正在筹备', '备注 福源公寓 无'],
  access: ['admin', 'street', 'community'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 2, { message: '请写明小区和备注内容' })
    .transform((i) => ({ compound: i.words[0]!, text: i.words.slice(1).join(' ') })),
  async handler(ctx, { compound, text }) {
    const c = await resolveNamedCompound(ctx, compound);
    if (!canWriteCommunity(ctx.actor, c.communityId)) throw new UserError(`${writeRefusal(ctx.actor, c.community)}未作改动。`);
    const row = await currentTakeover(ctx.db, c.id);
    if (!row) throw new UserError(`${c.name}还没有入驻信息，备注随入驻信息一起保存。请先报入驻，例如：入驻 ${c.name} 鑫安物业 外聘 9月20日。未作改动。`);
    const typed = originalTail(ctx.message.text, text).trim();
    if (typed.length > MAX_REMARKS) throw new UserError(`备注最多 ${MAX_REMARKS} 个字，未作改动。`);
    const remarks = CLEAR.has(typed.toLowerCase()) ? null : typed;
    const { id: _id, ...current } = snapshotOf(row);
    const r = await recordTakeover(ctx, c.id, { ...current, remarks });
    if (!r.changed) {
      await ctx.reply({ type: 'text', text: `${c.name}的备注与已有记录一致，无需修改。` });
      return;
    }
    const was = current.remarks ? `（原备注：${current.remarks}）` : '';
    await ctx.reply({
      type: 'text',
      text: forChat(ctx, remarks ? `已记录${c.name}的备注：${remarks}${was}。如需撤销，请发送“撤销”。` : `已清除${c.name}的备注${was}。如需撤销，请发送“撤销”。`),
    });
  },
});
