import { defineFollowUp } from '../../src/followups/followup.ts';
import { findGrievanceById } from '../../src/domain/grievances.ts';
import { countModelAttempt, listDepartmentDuties, nextPendingModelAsk, settleModelAsk } from '../../src/domain/grievance-routing.ts';
import { maskPhones } from '../../src/logger.ts';
import { GRIEVANCE_ACTIONS, type RouteChoice, routeAdviceCard } from '../../cards/grievance.ts';
import { groupsFor } from './present.ts';

/** A question that failed this often (each time crashing or timing out the process) is not asked again. */
const MAX_ATTEMPTS = 3;

/**
 * Stage (c) with the optional model: a grievance the rules and the classifier were unsure about waits at the
 * fallback department with the likeliest departments as buttons; the model is asked after that transaction
 * committed (never inside it, so a slow model holds no lock), and its checked answer comes as a suggestion card
 * whose buttons a person presses. It never routes on its own; silence or nonsense from the model changes nothing.
 */
export const routingAdviceFollowUp = defineFollowUp({
  name: 'routing-advice',
  async runOnce(ctx) {
    const advisor = ctx.routing.advisor;
    const pending = await nextPendingModelAsk(ctx.db);
    if (!pending) return false;
    const now = ctx.clock.now();
    if (!advisor || pending.attempts >= MAX_ATTEMPTS) {
      await ctx.transaction(`advice:${pending.grievanceId}`, (tx) => settleModelAsk(tx.db, pending.grievanceId, { state: 'failed' }, now));
      return true;
    }
    const g = await findGrievanceById(ctx.db, pending.grievanceId);
    const departments = await listDepartmentDuties(ctx.db, ctx.campaign.id);
    const fallback = departments.find((d) => d.name === ctx.campaign.definition.fallbackDepartment);
    const waiting = (x: typeof g) => x !== null && x.status === '待受理' && fallback !== undefined && x.departmentId === fallback.id;
    if (!waiting(g)) {
      await ctx.transaction(`advice:${pending.grievanceId}`, (tx) => settleModelAsk(tx.db, pending.grievanceId, { state: 'skipped' }, now));
      return true;
    }
    await countModelAttempt(ctx.db, pending.grievanceId, now);

    const name = (id: number) => departments.find((d) => d.id === id)?.name;
    const likeliest = pending.candidates.map((c) => name(c.departmentId)).filter((n) => n !== undefined);
    const advice = await advisor.advise({ text: g!.text, likeliest, departments: departments.map((d) => ({ name: d.name, duties: d.duties })) });

    await ctx.transaction(`advice:${pending.grievanceId}`, async (tx) => {
      const suggested = advice ? departments.find((d) => d.name === advice.department) : undefined;
      const settled = await settleModelAsk(
        tx.db, pending.grievanceId, { state: advice ? 'done' : 'failed', departmentId: suggested?.id ?? null, reason: advice?.reason ?? null }, tx.now,
      );
      const current = await findGrievanceById(tx.db, pending.grievanceId);
      if (!settled || !suggested || suggested.id === fallback!.id || !current || !waiting(current)) return;
      const ids = [suggested.id, ...pending.candidates.map((c) => c.departmentId).filter((id) => id !== suggested.id)].slice(0, 3);
      const choices: RouteChoice[] = ids.flatMap((id) => {
        const n = name(id);
        return n ? [{ departmentId: id, departmentName: n, suggested: id === suggested.id }] : [];
      });
      const token = await tx.issueCardToken(GRIEVANCE_ACTIONS.route, { grievanceId: current.id, fromDepartmentId: current.departmentId, departmentIds: ids });
      const text = `智能研判建议：${suggested.name}${advice!.reason ? `（${advice!.reason}）` : ''}。仅供参考，请点选确认，也可选其他部门或用“转办”。`;
      const card = routeAdviceCard({ code: current.code, compound: current.compound, community: current.community, text: maskPhones(current.text), advice: text }, choices, token);
      for (const chat of (await groupsFor(tx.db, current)).chats) await tx.send({ chatId: chat.chatId }, { type: 'card', card }, 'grievance-advice');
    });
    return true;
  },
});
