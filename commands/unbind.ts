import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { activeBindings, revokeBindings } from '../src/domain/role-bindings.ts';

const mention = z.object({ key: z.string(), openId: z.string(), name: z.string() });

export default defineCommand({
  name: '解绑',
  aliases: ['unbind'],
  summary: '解除一位用户的角色（管理员）',
  usage: '解绑 @某人',
  examples: ['解绑 @张三'],
  access: ['admin'],
  args: z
    .object({ mentions: z.array(mention) })
    .refine((i) => i.mentions.length === 1, { message: '请 @ 一位要解绑的人' })
    .transform((i) => ({ who: i.mentions[0]! })),
  async handler(ctx, { who }) {
    if (ctx.adminOpenIds.includes(who.openId)) {
      throw new UserError(`${who.name || who.openId} 是系统配置（ADMIN_OPEN_IDS）指定的管理员，不能在聊天中解绑。`);
    }
    const before = await activeBindings(ctx.db, who.openId);
    if (before.length === 0) throw new UserError(`${who.name || who.openId} 目前没有绑定角色。`);
    await revokeBindings(ctx.db, who.openId, ctx.now, ctx.actor.openId);
    await ctx.audit({ action: 'unbind', entity: 'role_binding', entityId: before[0]!.id, before: before.map((b) => ({ role: b.role, community_id: b.community_id, department_id: b.department_id })), after: null });
    await ctx.reply({ type: 'text', text: `已解除 ${who.name || who.openId} 的角色。` });
  },
});
