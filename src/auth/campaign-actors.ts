/** Permissions the campaign names as data (assessors, 奖补 steps, credit-file writers): roles and departments. */
import type { Actors } from '../campaign/after-coverage-schema.ts';
import type { Actor } from './actor.ts';

const ROLE_NAMES: Record<string, string> = { street: '街道', leader: '领导', community: '社区工作人员' };

/** Admins always; a department only through its own binding (by open_id), never by a name typed in chat. */
export function actorMay(actor: Actor, actors: Actors): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'department') return actor.departmentName !== null && actors.departments.includes(actor.departmentName);
  return actor.role !== null && (actors.roles as string[]).includes(actor.role);
}

/** '管理员、街道、区住建局'. */
export function actorsLabel(actors: Actors): string {
  return ['管理员', ...actors.roles.map((r) => ROLE_NAMES[r] ?? r), ...actors.departments].join('、');
}
