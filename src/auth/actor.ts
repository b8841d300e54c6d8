import type { Db } from '../db/connect.ts';
import { currentBinding } from '../domain/role-bindings.ts';

export const ROLES = ['admin', 'leader', 'street', 'community', 'department'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  leader: '领导',
  street: '街道',
  community: '社区',
  department: '部门',
};

/** Who is acting, as the bot sees them: identified by open_id only, never by name. */
export interface Actor {
  openId: string;
  name: string | null;
  role: Role | null;
  communityId: number | null;
  communityName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  /** True when the admin role comes from ADMIN_OPEN_IDS rather than a binding. */
  adminFromConfig: boolean;
}

export async function resolveActor(db: Db, openId: string, adminOpenIds: readonly string[], name: string | null = null): Promise<Actor> {
  const binding = await currentBinding(db, openId);
  const fromConfig = adminOpenIds.includes(openId);
  if (fromConfig) {
    return {
      openId, name: name ?? binding?.display_name ?? null, role: 'admin', communityId: null, communityName: null,
      departmentId: null, departmentName: null, adminFromConfig: true,
    };
  }
  return {
    openId,
    name: name ?? binding?.display_name ?? null,
    role: (binding?.role as Role | undefined) ?? null,
    communityId: binding?.community_id ?? null,
    communityName: binding?.community_name ?? null,
    departmentId: binding?.department_id ?? null,
    departmentName: binding?.department_name ?? null,
    adminFromConfig: false,
  };
}

export function describeRole(actor: Actor): string {
  if (!actor.role) return '未绑定';
  if (actor.role === 'community') return `社区工作人员（${actor.communityName}）`;
  if (actor.role === 'department') return `部门（${actor.departmentName}）`;
  return ROLE_LABELS[actor.role];
}
