import { UserError } from '../../src/errors.ts';
import { parseGrievanceCode } from '../../src/domain/grievance-codes.ts';
import { type GrievanceContext, type GrievanceView, findGrievanceByCode } from '../../src/domain/grievances.ts';

/** Finds the grievance a typed id names (T0001, t1, ＴＯＯＯ１ …), or refuses with a clear message. */
export async function grievanceFromTypedId(ctx: GrievanceContext, typed: string): Promise<GrievanceView> {
  const code = parseGrievanceCode(typed);
  if (!code) throw new UserError(`“${typed.slice(0, 12)}”不是诉求编号。编号形如 T0001，可在登记回复或“待办”中查到。`);
  const g = await findGrievanceByCode(ctx.db, ctx.campaign.id, code);
  if (!g) throw new UserError(`没有找到诉求 ${code}。发送“待办”可查看您名下的诉求。`);
  return g;
}
