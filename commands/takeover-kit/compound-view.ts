/** Builds the compound card for a viewer: masked phones in groups, the edit form for those who may write. */
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import type { Card } from '../../cards/kit.ts';
import { compoundCard, type CompoundCardHistory } from '../../cards/compound.ts';
import { CATEGORY_LABELS } from '../../cards/takeover-lines.ts';
import { canWriteCommunity } from '../../src/auth/scope.ts';
import { formatChineseDate, localParts } from '../../src/calendar/dates.ts';
import { listCompounds } from '../../src/domain/compounds.ts';
import { auditHighWater, compoundHistory, type HistoryEntry } from '../../src/domain/compound-history.ts';
import type { TakeoverSnapshot } from '../../src/domain/takeover-write.ts';
import { type GrievanceView, isOverdue, listGrievanceViews } from '../../src/domain/grievances.ts';
import { OPEN_STATUSES } from '../../src/domain/progress.ts';
import { dueLabel } from '../grievances/present.ts';
import type { CompoundCardGrievance } from '../../cards/compound.ts';

const GRIEVANCES_SHOWN = 5;
const RECENT_DAYS = 30;

/** Open grievances (all counted, the newest shown) and those resolved in the last 30 days. */
async function compoundGrievances(ctx: BotContext | CardContext, compoundId: number): Promise<{ shown: CompoundCardGrievance[]; moreOpen: number }> {
  const all = await listGrievanceViews(ctx.db, ctx.campaign.id, { compoundId });
  const since = new Date(ctx.now.getTime() - RECENT_DAYS * 86_400_000).toISOString();
  const open = all.filter((g) => (OPEN_STATUSES as readonly string[]).includes(g.status)).reverse();
  const recent = all.filter((g) => g.status === '已办结' && (g.resolvedAt ?? '') >= since).reverse();
  const tz = ctx.campaign.timezone;
  const line = (g: GrievanceView): CompoundCardGrievance => ({
    code: g.code,
    text: g.text.length > 30 ? `${g.text.slice(0, 30)}…` : g.text,
    department: g.department ?? '—',
    status: g.status,
    limit: g.status === '已办结'
      ? `办理结果：${(g.result ?? '—').slice(0, 30)}`
      : g.status === '处理中' ? `办结时限${dueLabel(g.resolveDueAt, tz)}` : `受理时限${dueLabel(g.acceptDueAt, tz)}`,
    overdue: isOverdue(g, ctx.now),
  });
  const shown = [...open, ...recent].slice(0, GRIEVANCES_SHOWN).map(line);
  return { shown, moreOpen: Math.max(0, open.length - GRIEVANCES_SHOWN) };
}
import { compoundAfterCoverage } from '../../src/domain/compound-after-coverage.ts';

export const EDIT_KIND = 'compound.edit';
export const OPEN_KIND = 'compound.open';

function describeTakeover(t: TakeoverSnapshot | null): string {
  if (!t) return '无入驻记录';
  return [t.company, t.nature, `${t.startDate}入驻`, t.manager, t.phone].filter(Boolean).join('，');
}

function describe(h: HistoryEntry): string {
  if (h.entity === 'takeover') {
    const what = h.action === 'undo' ? '撤销入驻信息修改，恢复为' : h.action === 'takeover.correct' ? '更正入驻信息：' : '记录入驻：';
    return `${what}${describeTakeover(h.after as TakeoverSnapshot | null)}`;
  }
  if (h.entity === 'category') {
    const c = (h.after as { category: number | null } | null)?.category;
    return `${h.action === 'undo' ? '撤销类别修改，恢复为' : '类别设为'}${c ? CATEGORY_LABELS[c] : '未设置'}`;
  }
  if (h.entity === 'disclosure' || h.entity === 'committee') {
    const a = h.after as { item?: string; state?: string } | null;
    const what = h.entity === 'disclosure' ? `${a?.item ?? (h.before as { item?: string } | null)?.item ?? ''}公示` : '业委会';
    return h.action === 'undo' ? `撤销${what}修改，恢复为${a?.state ?? '未登记'}` : `${what}：${a?.state ?? ''}`;
  }
  const s = (h.after as { state?: string } | null)?.state ?? '未开始';
  return `${h.action === 'undo' ? '撤销修改，' : ''}${h.subject}${h.action === 'undo' ? '恢复为' : '→'}${s}`;
}

export async function buildCompoundCard(ctx: BotContext | CardContext, compoundId: number): Promise<Card> {
  const all = await listCompounds(ctx.db, ctx.campaign.id);
  const c = all.find((x) => x.id === compoundId)!;
  const history: CompoundCardHistory[] = (await compoundHistory(ctx.db, c.id)).map((h) => {
    const p = localParts(new Date(h.at), ctx.campaign.timezone);
    return { when: `${formatChineseDate(p.date)} ${p.time}`, who: h.actorName, text: describe(h), undone: h.undone };
  });
  const grievances = await compoundGrievances(ctx, c.id);
  const edit = canWriteCommunity(ctx.actor, c.communityId)
    ? { kind: EDIT_KIND, token: await ctx.issueCardToken(EDIT_KIND, { compoundId: c.id, mark: await auditHighWater(ctx.db) }) }
    : null;
  return compoundCard({
    name: c.name, community: c.community, track: c.track, category: c.category,
    takeover: c.takeover,
    actions: c.actions ? Object.entries(c.actions).map(([name, state]) => ({ name, state })) : null,
    history, maskPhone: ctx.chat.type === 'group', edit,
    grievances: grievances.shown, moreOpenGrievances: grievances.moreOpen,
    afterCoverage: await compoundAfterCoverage(ctx.db, ctx.campaign, c.id),
  });
}
