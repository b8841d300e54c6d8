import { type Card, card, hr, markdown } from './kit.ts';

export interface ProgressCardView {
  title: string;
  scopeLabel: string;
  asOfLabel: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number; actionsDone: number; actionsTotal: number };
  grievances: { open: number; overdue: number; resolved: number };
  period: { dueLabel: string; effectiveDueLabel: string; confirmed: string[]; missing: string[] } | null;
  communities: { name: string; coverage: { total: number; covered: number }; upgrade: { total: number; done: number }; grievancesOpen: number }[];
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${Math.round((n / d) * 100)}%`);

/** The 进度 card: headline numbers, the report period, and one line per community. */
export function progressCard(v: ProgressCardView): Card {
  const lines = [
    `**物业覆盖**：已入驻 **${v.coverage.covered}/${v.coverage.total}** 个小区（${pct(v.coverage.covered, v.coverage.total)}），未入驻 ${v.coverage.total - v.coverage.covered} 个`,
    `**提升任务**：4项攻坚全部完成 **${v.upgrade.done}/${v.upgrade.total}** 个小区，攻坚行动完成 ${v.upgrade.actionsDone}/${v.upgrade.actionsTotal} 项`,
    `**群众诉求**：未办结 ${v.grievances.open} 件，其中超期 ${v.grievances.overdue} 件；已办结 ${v.grievances.resolved} 件`,
  ];
  const periodLines: string[] = [];
  if (v.period) {
    const due = v.period.dueLabel === v.period.effectiveDueLabel ? v.period.dueLabel : `${v.period.dueLabel}（遇节假日提前至${v.period.effectiveDueLabel}）`;
    periodLines.push(`**本期报送**：${due}`);
    periodLines.push(`已确认：${v.period.confirmed.length ? v.period.confirmed.join('、') : '暂无'}`);
    periodLines.push(`未确认：${v.period.missing.length ? v.period.missing.join('、') : '无，全部已确认'}`);
  }
  const communityLines = v.communities.map((c) => {
    const parts = [];
    if (c.coverage.total) parts.push(`入驻 ${c.coverage.covered}/${c.coverage.total}`);
    if (c.upgrade.total) parts.push(`提升完成 ${c.upgrade.done}/${c.upgrade.total}`);
    parts.push(`未办结诉求 ${c.grievancesOpen}`);
    return `- **${c.name}**：${parts.join('，')}`;
  });
  return card(
    v.title,
    [
      markdown(lines.join('\n')),
      ...(periodLines.length ? [hr(), markdown(periodLines.join('\n'))] : []),
      hr(),
      markdown(`**分社区情况**\n${communityLines.join('\n')}`),
      markdown(`<font color='grey'>${v.scopeLabel} · 数据截至 ${v.asOfLabel}</font>`),
    ],
    { template: 'blue', summary: `已入驻 ${v.coverage.covered}/${v.coverage.total}` },
  );
}
