import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { findCommunityByName, findDepartmentByName, listCommunities, listDepartments } from '../src/domain/campaign.ts';
import { bindChat, findChatBinding, type UnitKind } from '../src/domain/chats.ts';

const FIXED_UNITS: Record<string, UnitKind> = { 专班: 'zhuanban', 工作专班: 'zhuanban', 领导小组: 'leaders', 街道: 'street' };

export default defineCommand({
  name: '绑定群',
  aliases: ['bindchat', '绑定本群'],
  summary: '把本群设为某单位的工作群（管理员，在该群内发送）',
  usage: '绑定群 社区名|专班|领导小组|街道|部门名',
  examples: ['绑定群 梅园社区', '绑定群 专班', '绑定群 区市场监管局'],
  access: ['admin'],
  args: z
    .object({ rest: z.string() })
    .refine((i) => i.rest.length > 0, { message: '请写明本群属于哪个单位' })
    .transform((i) => ({ unit: i.rest })),
  async handler(ctx, { unit }) {
    if (ctx.chat.type !== 'group') throw new UserError('请在要绑定的群里 @我 发送此命令。');
    let unitKind: UnitKind | undefined = FIXED_UNITS[unit.replace(/\s/g, '')];
    let communityId: number | null = null;
    let departmentId: number | null = null;
    let label = unit;
    if (!unitKind) {
      const c = findCommunityByName(await listCommunities(ctx.db, ctx.campaign.id), unit);
      const departments = await listDepartments(ctx.db, ctx.campaign.id);
      const d = findDepartmentByName(departments, unit);
      if (c) {
        unitKind = 'community';
        communityId = c.id;
        label = c.name;
      } else if (d) {
        unitKind = d.kind === 'street' ? 'street' : 'department';
        departmentId = d.kind === 'street' ? null : d.id;
        label = d.name;
      }
    }
    if (!unitKind) throw new UserError(`没有找到“${unit.slice(0, 20)}”。可以绑定：社区名、专班、领导小组、街道或部门名。`);
    const before = await findChatBinding(ctx.db, ctx.chat.id);
    await bindChat(ctx.db, { chatId: ctx.chat.id, chatName: ctx.message.chatName ?? null, unitKind, communityId, departmentId, by: ctx.actor.openId, at: ctx.now.toISOString() });
    await ctx.audit({ action: 'bindchat', entity: 'chat', entityId: ctx.chat.id, before, after: { unitKind, communityId, departmentId } });
    await ctx.reply({ type: 'text', text: `已将本群设为${label}${unitKind === 'community' ? '' : ''}工作群。${before ? `（原为${before.unitName}工作群）` : ''}` });
  },
});
