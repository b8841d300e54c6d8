import { type Card, type Element, card, hr, markdown, md } from './kit.ts';
import { type ProgressCardView, overdueLines, progressCharts } from './progress.ts';

export interface LeadersDigestView {
  /** `11月16日`, and why it is sent: the weekly one, or the report day's. */
  dateLabel: string;
  occasion: 'weekly' | 'due-day';
  asOfLabel: string;
  scopeLabel: string;
  /** The numbers of 进度 and /api/v1/progress at this instant, and what the charts need. */
  progress: Pick<ProgressCardView, 'coverage' | 'upgrade' | 'grievances' | 'communities' | 'actions'>;
  grievancesNew: number;
  newSinceLabel: string;
  byDepartment: { department: string | null; open: number; overdue: number }[];
  /** The last report period whose day has come, and who did not confirm it. */
  lastReport: { label: string; missing: string[]; confirmed: number; total: number } | null;
  overdue: NonNullable<ProgressCardView['overdue']>;
}

/** Lark refuses a card over 30 KB: at city scale the lists are cut and counted. */
const LIMITS = { departments: 8, names: 20 };

const pct = (n: number, d: number) => (d === 0 ? '—' : `${Math.round((n / d) * 100)}%`);

function departmentLines(list: LeadersDigestView['byDepartment']): string[] {
  const shown = list.slice(0, LIMITS.departments).map((d) => `- ${md(d.department ?? '未分派')}：未办结 ${d.open} 件${d.overdue ? `，<font color='red'>超期 ${d.overdue} 件</font>` : ''}`);
  const rest = list.slice(LIMITS.departments);
  if (rest.length) shown.push(`- 其余 ${rest.length} 个部门：未办结 ${rest.reduce((n, d) => n + d.open, 0)} 件，超期 ${rest.reduce((n, d) => n + d.overdue, 0)} 件`);
  return shown;
}

function names(list: string[]): string {
  const shown = list.slice(0, LIMITS.names).map(md).join('；');
  return list.length > LIMITS.names ? `${shown} 等 ${list.length} 个社区` : shown;
}

/** The 领导小组's short summary: the headline numbers with the charts, grievances by department, reports, deadlines. */
export function leadersDigestCard(v: LeadersDigestView): Card {
  const p = v.progress;
  const headline = [
    `**物业覆盖**：已入驻 **${p.coverage.covered}/${p.coverage.total}** 个小区（${pct(p.coverage.covered, p.coverage.total)}），未入驻 ${p.coverage.total - p.coverage.covered} 个`,
    `**提升任务**：4项攻坚全部完成 **${p.upgrade.done}/${p.upgrade.total}** 个小区，攻坚行动完成 ${p.upgrade.actionsDone}/${p.upgrade.actionsTotal} 项`,
    `**群众诉求**：${v.newSinceLabel}新增 ${v.grievancesNew} 件；未办结 ${p.grievances.open} 件，其中超期 ${p.grievances.overdue > 0 ? `<font color='red'>**${p.grievances.overdue}**</font>` : '0'} 件；已办结 ${p.grievances.resolved} 件`,
  ];
  const charts = progressCharts({ title: '', scopeLabel: '', asOfLabel: '', period: null, ...p });
  const report = v.lastReport
    ? v.lastReport.missing.length
      ? `**${md(v.lastReport.label)}**：${v.lastReport.confirmed}/${v.lastReport.total} 个社区已确认；<font color='red'>未确认</font>：${names(v.lastReport.missing)}`
      : `**${md(v.lastReport.label)}**：${v.lastReport.total} 个社区全部已确认`
    : '';
  const elements: Element[] = [
    markdown(headline.join('\n')),
    ...charts,
    ...(v.byDepartment.length ? [hr(), markdown(`**诉求分部门**\n${departmentLines(v.byDepartment).join('\n')}`)] : []),
    ...(report ? [hr(), markdown(report)] : []),
    ...(v.overdue.length ? [hr(), markdown(`**已逾期节点**\n${overdueLines(v.overdue).join('\n')}`)] : []),
    markdown(`<font color='grey'>${md(v.scopeLabel)} · 数据截至 ${v.asOfLabel} · 发送“进度”“节点”可随时查看</font>`),
  ];
  const title = `领导小组工作简报 · ${v.dateLabel}${v.occasion === 'due-day' ? '（报送日）' : ''}`;
  return card(title, elements, { template: 'indigo', summary: `已入驻 ${p.coverage.covered}/${p.coverage.total}，超期诉求 ${p.grievances.overdue} 件` });
}
