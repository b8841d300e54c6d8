import { UserError } from '../errors.ts';
import type { Actor } from './actor.ts';

/** Whole-campaign readers: admins, leaders and the street. */
export function seesEverything(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'leader' || actor.role === 'street';
}

/** Whether the actor may read this community's compounds. */
export function canReadCommunity(actor: Actor, communityId: number): boolean {
  return seesEverything(actor) || (actor.role === 'community' && actor.communityId === communityId);
}

/** Whether the actor may change this community's compounds (leaders read only). */
export function canWriteCommunity(actor: Actor, communityId: number): boolean {
  return actor.role === 'admin' || actor.role === 'street' || (actor.role === 'community' && actor.communityId === communityId);
}

/** Whom to ask, from `adminContacts`: `管理员（王主任、李科长）`, or the system administrator when none is known. */
export function askAdmins(contacts: string): string {
  return contacts ? `管理员（${contacts}）` : '系统管理员';
}

export function notAuthorisedMessage(contacts: string): string {
  return `抱歉，您还没有使用此功能的权限。请联系${askAdmins(contacts)}为您绑定角色，并告诉对方您所在的社区或单位；绑定后即可使用。`;
}

export function requireRole(actor: Actor, roles: readonly string[], what: string): void {
  if (!actor.role || !roles.includes(actor.role)) {
    throw new UserError(`抱歉，${what}仅限${roles.map((r) => ({ admin: '管理员', leader: '领导', street: '街道', community: '社区工作人员', department: '职责部门' })[r] ?? r).join('、')}使用。`);
  }
}

export function writeRefusal(actor: Actor, communityName: string): string {
  if (actor.role === 'community') {
    return `抱歉，您绑定的是${actor.communityName}，不能修改${communityName}的小区数据。如需协助，请联系${communityName}的工作人员或街道。`;
  }
  if (actor.role === 'leader') return '抱歉，领导角色只能查看数据，不能修改。';
  if (actor.role === 'department') return '抱歉，职责部门只能处理分派给本部门的诉求，不能修改小区数据。';
  return '抱歉，您没有修改该小区数据的权限。';
}
