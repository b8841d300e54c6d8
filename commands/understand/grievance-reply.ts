/**
 * T0001 收到 / T0001 转给住建局 电梯归住建管 / T0001 已经联系维保单位修好了: a reply about a grievance with its code
 * first, run as the 受理 / 转办 / 办结 command it means, with that command's checks and answers.
 */
import { defineInterpreter } from '../../src/bot/command.ts';
import { hasAccess } from '../../src/bot/dispatch.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { UserError } from '../../src/errors.ts';
import { findDepartmentByName, listDepartments } from '../../src/domain/campaign.ts';
import { readGrievanceReply } from '../../src/understanding/grievance-reply.ts';
import accept from '../accept.ts';
import transfer from '../transfer.ts';
import resolve from '../resolve.ts';

function allowed(ctx: BotContext, command: { name: string; access: Parameters<typeof hasAccess>[1] }): void {
  if (!hasAccess(ctx.actor, command.access)) throw new UserError(`抱歉，“${command.name}”不在您的权限范围内。发送“帮助”可查看您能使用的命令。`);
}

/** The department named at the start of `rest` (住建局电梯归住建管 → 区住建局), and the reason after it. */
async function departmentAndReason(ctx: BotContext, rest: string): Promise<{ department: string; reason: string | null }> {
  const departments = await listDepartments(ctx.db, ctx.campaign.id);
  const [first, ...others] = rest.split(/[\s,，。;；]+/).filter(Boolean);
  if (first && findDepartmentByName(departments, first)) return { department: first, reason: others.join(' ') || null };
  for (let end = Math.min(rest.length, 16); end >= 2; end--) {
    const head = rest.slice(0, end);
    if (findDepartmentByName(departments, head)) return { department: head, reason: rest.slice(end).replace(/^[\s,，。;；:：]+/, '').trim() || null };
  }
  // Not a department the campaign knows: the 转办 command says which ones there are.
  return { department: first ?? rest, reason: others.join(' ') || null };
}

export default defineInterpreter({
  name: 'grievance-reply',
  match: (text) => readGrievanceReply(text) !== null,
  async handler(ctx, text) {
    const reply = readGrievanceReply(text)!;
    if (reply.op === 'accept') {
      allowed(ctx, accept);
      await accept.handler(ctx, { id: reply.code });
    } else if (reply.op === 'transfer') {
      allowed(ctx, transfer);
      const { department, reason } = await departmentAndReason(ctx, reply.rest);
      await transfer.handler(ctx, { id: reply.code, department, reason });
    } else {
      allowed(ctx, resolve);
      await resolve.handler(ctx, { id: reply.code, result: reply.result });
    }
  },
});
