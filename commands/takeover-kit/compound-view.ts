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
  const edit = canWriteCommunity(ctx.actor, c.communityId)
    ? { kind: EDIT_KIND, token: await ctx.issueCardToken(EDIT_KIND, { compoundId: c.id, mark: await auditHighWater(ctx.db) }) }
    : null;
  return compoundCard({
    name: c.name, community: c.community, track: c.track, category: c.category,
    takeover: c.takeover,
    actions: c.actions ? Object.entries(c.actions).map(([name, state]) => ({ name, state })) : null,
    history, maskPhone: ctx.chat.type === 'group', edit,
    afterCoverage: await compoundAfterCoverage(ctx.db, ctx.campaign, c.id),
  });
}
