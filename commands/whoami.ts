import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { describeRole } from '../src/auth/actor.ts';
import { adminContacts } from '../src/domain/people.ts';
import { askAdmins } from '../src/auth/scope.ts';

export default defineCommand({
  name: '我是谁',
  aliases: ['whoami', '我的权限'],
  summary: '查看机器人眼中的您：角色和范围',
  usage: '我是谁',
  examples: ['我是谁'],
  access: 'anyone',
  args: z.object({}),
  async handler(ctx) {
    const a = ctx.actor;
    const lines = [`您的 open_id：${a.openId}`, `角色：${describeRole(a)}${a.adminFromConfig ? '（由系统配置指定）' : ''}`];
    if (a.role === 'community') lines.push(`范围：${a.communityName}的小区和诉求`);
    if (a.role === 'department') lines.push(`范围：分派给${a.departmentName}的诉求`);
    if (a.role === 'street' || a.role === 'admin') lines.push(`范围：${ctx.campaign.street}全部小区`);
    if (a.role === 'leader') lines.push(`范围：查看全部数据`);
    if (ctx.chat.binding) lines.push(`本群是：${ctx.chat.binding.unitName}工作群`);
    if (!a.role) {
      lines.push(`您还没有绑定角色，目前可以使用“帮助”和“我是谁”。请联系${askAdmins(await adminContacts(ctx.db, ctx.adminOpenIds))}为您绑定，并告诉对方您所在的社区或单位。`);
    }
    await ctx.reply({ type: 'text', text: lines.join('\n') });
  },
});
