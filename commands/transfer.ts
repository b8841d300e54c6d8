import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { findDepartmentByName, listDepartments } from '../src/domain/campaign.ts';
import { transferGrievance } from '../src/domain/grievances.ts';
import { grievanceFromTypedId } from './grievances/lookup.ts';
import { deliverToDepartment, dueLabel, forChat } from './grievances/present.ts';
import { originalTail } from './grievances/raw-text.ts';

export default defineCommand({
  name: '转办',
  aliases: ['transfer', 'reroute'],
  summary: '把诉求转给另一个职责部门办理',
  usage: '转办 诉求编号 部门 [理由]',
  examples: ['转办 T0001 区住建局 属于维修资金使用问题'],
  access: ['admin', 'street', 'community', 'department'],
  args: z
    .object({ words: z.array(z.string()) })
    .refine((i) => i.words.length >= 2, { message: '请写明诉求编号和要转给的部门' })
    .transform((i) => ({ id: i.words[0]!, department: i.words[1]!, reason: i.words.slice(2).join(' ') || null })),
  async handler(ctx, { id, department, reason: typed }) {
    const reason = typed ? originalTail(ctx.message.text, typed) : null;
    const g = await grievanceFromTypedId(ctx, id);
    const departments = await listDepartments(ctx.db, ctx.campaign.id);
    const to = findDepartmentByName(departments, department);
    if (!to) throw new UserError(`没有找到部门“${department.slice(0, 20)}”。可选部门有：${departments.map((d) => d.name).join('、')}。`);
    const after = await transferGrievance(ctx, g, to, reason);
    const where = await deliverToDepartment(ctx, after);
    await ctx.reply({
      type: 'text',
      text: forChat(ctx, [
        `已将诉求 ${after.code} 由${g.department ?? '—'}转至${to.name}${reason ? `（理由：${reason}）` : ''}，等待其受理。${where ? `已通知${where}。` : ''}`,
        `自转办起重新计时：受理时限${dueLabel(after.acceptDueAt, ctx.campaign.timezone)}；办结时限${dueLabel(after.resolveDueAt, ctx.campaign.timezone)}。`,
      ].join('\n')),
    });
  },
});
