import { z } from 'zod';
import { defineCommand } from '../src/bot/command.ts';
import { UserError } from '../src/errors.ts';
import { joinNames } from '../src/text/wording.ts';
import { ROLE_LABELS, type Role } from '../src/auth/actor.ts';
import { findCommunityByName, findDepartmentByName, listCommunities, listDepartments } from '../src/domain/campaign.ts';
import { activeBindings, addBinding, revokeBindings } from '../src/domain/role-bindings.ts';

const ROLE_WORDS: Record<string, Role> = {
  管理员: 'admin', admin: 'admin',
  领导: 'leader', leader: 'leader', 领导小组: 'leader',
  街道: 'street', street: 'street',
  社区: 'community', community: 'community',
  部门: 'department', department: 'department',
};

const mention = z.object({ key: z.string(), openId: z.string(), name: z.string() });

export default defineCommand({
  name: '绑定',
  aliases: ['bind'],
  summary: '给一位飞书用户绑定角色（管理员）',
  usage: '绑定 @某人 管理员|领导|街道|社区 社区名|部门 部门名',
  examples: ['绑定 @张三 社区 梅园社区', '绑定 @李四 街道', '绑定 @王五 部门 区市场监管局'],
  access: ['admin'],
  args: z
    .object({ mentions: z.array(mention), words: z.array(z.string()) })
    .refine((i) => i.mentions.length === 1, { message: '请 @ 一位要绑定的人' })
    .refine((i) => i.words.length > 0, { message: '请写明角色：管理员、领导、街道、社区 或 部门' })
    .transform((i) => {
      const first = i.words[0]!.toLowerCase();
      const role = ROLE_WORDS[first] ?? null;
      return { who: i.mentions[0]!, role, scope: (role ? i.words.slice(1) : i.words).join(' ') };
    }),
  async handler(ctx, { who, role: givenRole, scope }) {
    const communities = await listCommunities(ctx.db, ctx.campaign.id);
    const departments = await listDepartments(ctx.db, ctx.campaign.id);
    let role = givenRole;
    // Forgiving: "绑定 @张三 梅园社区" means the community role.
    if (!role && findCommunityByName(communities, scope)) role = 'community';
    if (!role && findDepartmentByName(departments, scope)) role = 'department';
    if (!role) throw new UserError(`没有看懂角色“${scope.slice(0, 20)}”。角色可以是：管理员、领导、街道、社区 + 社区名、部门 + 部门名。\n用法：绑定 @某人 社区 梅园社区`);
    let communityId: number | null = null;
    let departmentId: number | null = null;
    let scopeLabel = '';
    if (role === 'community') {
      const c = findCommunityByName(communities, scope);
      if (!c) {
        const list = `本街道的社区有：${joinNames(communities.map((x) => x.name))}。`;
        throw new UserError(scope ? `没有找到“${scope.slice(0, 20)}”。${list}` : `请写明社区名称。${list}`);
      }
      communityId = c.id;
      scopeLabel = c.name;
    } else if (role === 'department') {
      const d = findDepartmentByName(departments, scope);
      if (!d) throw new UserError(`没有找到部门“${scope.slice(0, 20)}”。可选部门有：${joinNames(departments.map((x) => x.name))}。`);
      departmentId = d.id;
      scopeLabel = d.name;
    }
    const before = await activeBindings(ctx.db, who.openId);
    await revokeBindings(ctx.db, who.openId, ctx.now, ctx.actor.openId);
    const bindingId = await addBinding(ctx.db, {
      openId: who.openId, displayName: who.name || null, role, communityId, departmentId, boundBy: ctx.actor.openId, at: ctx.now,
    });
    await ctx.audit({
      action: 'bind',
      entity: 'role_binding',
      entityId: bindingId,
      before: before.map((b) => ({ role: b.role, community_id: b.community_id, department_id: b.department_id })),
      after: { open_id: who.openId, role, community_id: communityId, department_id: departmentId },
    });
    const label = `${ROLE_LABELS[role]}${scopeLabel ? `（${scopeLabel}）` : ''}`;
    const replaced = before.length ? '，原有角色已替换' : '';
    await ctx.reply({ type: 'text', text: `已将 ${who.name || who.openId} 绑定为${label}${replaced}。` });
  },
});
