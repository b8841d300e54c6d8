import { type Card, type Element, button, buttonRow, card, hr, markdown, md } from './kit.ts';
import { joinNames } from '../src/text/wording.ts';
import { type ProgressAfterCoverage, afterCoverageProgressMarkdown } from './after-coverage-lines.ts';

export interface ProgressCommunity {
  name: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number };
  grievancesOpen: number;
}

export interface ProgressCardView {
  title: string;
  scopeLabel: string;
  asOfLabel: string;
  coverage: { total: number; covered: number };
  upgrade: { total: number; done: number; actionsDone: number; actionsTotal: number };
  grievances: { open: number; overdue: number; resolved: number };
  period: { dueLabel: string; effectiveDueLabel: string; confirmed: string[]; missing: string[]; /** 节假日 or 休息日 */ moveWord?: string } | null;
  communities: ProgressCommunity[];
  /** Compounds whose 调度表 row still lacks something (the one rule of src/domain/gaps.ts). */
  incomplete?: number;
  /** Each 攻坚行动 across the upgrade compounds in scope; omitted = no chart for them. */
  actions?: { action: string; done: number; doing: number; todo: number }[];
  /** The value of the button that lists every community, page by page (shown when the card summarises some). */
  allCommunities?: Record<string, unknown>;
  /** 公示, 业委会, assessment and 奖补 counts; omitted = not shown. */
  afterCoverage?: ProgressAfterCoverage;
  /** Deadlines that passed with work outstanding (已逾期), until it is done. */
  overdue?: { dateLabel: string; title: string; left: number; daysLate: number }[];
}

/** One line per passed deadline still not done. */
export function overdueLines(overdue: NonNullable<ProgressCardView['overdue']>): string[] {
  return overdue.map((o) => `- <font color='red'>**已逾期**</font> ${o.dateLabel}（逾期${o.daysLate}天）${md(o.title)}：仍有 **${o.left}** 个小区未完成`);
}

/** Lark refuses a card over 30 KB; at city scale the card names the worst communities and counts the rest. */
export const CARD_LIMITS = { communities: 10, chartCommunities: 10, names: 20 };

const pct = (n: number, d: number) => (d === 0 ? '—' : `${Math.round((n / d) * 100)}%`);

/** What is still to do in a community: compounds not taken over plus upgrade compounds not done. */
export function communityGap(c: ProgressCommunity): number {
  return c.coverage.total - c.coverage.covered + (c.upgrade.total - c.upgrade.done);
}

/** The communities worth showing: all of them in the campaign's order when few, else the largest gaps first. */
export function communitiesToShow(all: ProgressCommunity[], limit: number): { shown: ProgressCommunity[]; rest: ProgressCommunity[] } {
  if (all.length <= limit) return { shown: all, rest: [] };
  const ranked = all
    .map((c, i) => ({ c, i }))
    .sort((a, b) => communityGap(b.c) - communityGap(a.c) || a.i - b.i)
    .map((x) => x.c);
  return { shown: ranked.slice(0, limit), rest: ranked.slice(limit) };
}

function names(list: string[], limit: number): string {
  const shown = joinNames(list.slice(0, limit).map(md));
  return list.length > limit ? `${shown} 等 ${list.length} 个社区` : shown;
}

/** A stacked bar chart (Card JSON 2.0 `chart`, a VChart spec without JavaScript). */
function stackedBar(title: string, values: Record<string, string | number>[], x: string, series: string, colors: string[]): Element {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    height: 'auto',
    chart_spec: {
      type: 'bar',
      title: { visible: true, text: title },
      data: { values },
      xField: x,
      yField: 'count',
      seriesField: series,
      stack: true,
      color: colors,
      legends: { visible: true, orient: 'bottom' },
      label: { visible: true, position: 'inside' },
    },
  };
}

function coverageChart(v: ProgressCardView): Element | null {
  const withCoverage = v.communities.filter((c) => c.coverage.total > 0);
  if (withCoverage.length === 0) return null;
  const { shown, rest } = communitiesToShow(withCoverage, CARD_LIMITS.chartCommunities);
  const values = shown.flatMap((c) => [
    { community: c.name, status: '已入驻', count: c.coverage.covered },
    { community: c.name, status: '未入驻', count: c.coverage.total - c.coverage.covered },
  ]);
  const title = rest.length ? `全覆盖任务：未入驻最多的 ${shown.length} 个社区` : '全覆盖任务：各社区入驻情况';
  return stackedBar(title, values, 'community', 'status', ['#34C724', '#F54A45']);
}

function actionsChart(v: ProgressCardView): Element | null {
  if (!v.actions?.length || v.upgrade.total === 0) return null;
  const values = v.actions.flatMap((a) => [
    { action: a.action, state: '已完成', count: a.done },
    { action: a.action, state: '进行中', count: a.doing },
    { action: a.action, state: '未开始', count: a.todo },
  ]);
  return stackedBar('提升任务：攻坚行动进展（小区数）', values, 'action', 'state', ['#34C724', '#FFC60A', '#BBBFC4']);
}

function communityLine(c: ProgressCommunity): string {
  const parts = [];
  if (c.coverage.total) parts.push(`入驻 ${c.coverage.covered}/${c.coverage.total}`);
  if (c.upgrade.total) parts.push(`提升完成 ${c.upgrade.done}/${c.upgrade.total}`);
  parts.push(`未办结诉求 ${c.grievancesOpen}`);
  return `- **${md(c.name)}**：${parts.join('，')}`;
}

function restLine(rest: ProgressCommunity[]): string {
  const sum = (f: (c: ProgressCommunity) => number) => rest.reduce((n, c) => n + f(c), 0);
  const cov = `入驻 ${sum((c) => c.coverage.covered)}/${sum((c) => c.coverage.total)}`;
  const up = `提升完成 ${sum((c) => c.upgrade.done)}/${sum((c) => c.upgrade.total)}`;
  return `- 其余 ${rest.length} 个社区：${cov}，${up}，未办结诉求 ${sum((c) => c.grievancesOpen)}`;
}

/** The 进度 card: headline numbers, charts, the report period, and the communities (summarised at scale). */
/** The chart elements of the progress card (coverage by community, the four actions), for other cards too. */
export function progressCharts(v: ProgressCardView): Element[] {
  return [coverageChart(v), actionsChart(v)].filter((e): e is Element => e !== null);
}

export function progressCard(v: ProgressCardView): Card {
  const lines = [
    `**物业覆盖**：已入驻 **${v.coverage.covered}/${v.coverage.total}** 个小区（${pct(v.coverage.covered, v.coverage.total)}），未入驻 ${v.coverage.total - v.coverage.covered} 个`,
    `**提升任务**：4项攻坚全部完成 **${v.upgrade.done}/${v.upgrade.total}** 个小区，攻坚行动完成 ${v.upgrade.actionsDone}/${v.upgrade.actionsTotal} 项`,
    ...(v.incomplete !== undefined ? [`**信息待补**：${v.incomplete ? `${v.incomplete} 个小区的调度表信息不全` : '全部小区信息完整'}`] : []),
    `**群众诉求**：未办结 ${v.grievances.open} 件，其中超期 ${v.grievances.overdue > 0 ? `<font color='red'>**${v.grievances.overdue}**</font>` : '0'} 件；已办结 ${v.grievances.resolved} 件`,
  ];
  const periodLines: string[] = [];
  if (v.period) {
    const due = v.period.dueLabel === v.period.effectiveDueLabel ? v.period.dueLabel : `${v.period.dueLabel}（遇${v.period.moveWord ?? '节假日'}提前至${v.period.effectiveDueLabel}）`;
    periodLines.push(`**本期报送**：${due}`);
    periodLines.push(`已确认：${v.period.confirmed.length ? names(v.period.confirmed, CARD_LIMITS.names) : '暂无'}`);
    periodLines.push(`未确认：${v.period.missing.length ? names(v.period.missing, CARD_LIMITS.names) : '无，全部已确认'}`);
  }
  const { shown, rest } = communitiesToShow(v.communities, CARD_LIMITS.communities);
  const heading = rest.length ? `**分社区情况**（任务缺口最大的 ${shown.length} 个）` : '**分社区情况**';
  const communityLines = [...shown.map(communityLine), ...(rest.length ? [restLine(rest)] : [])];
  const charts = progressCharts(v);
  const overdue = v.overdue?.length ? [markdown(`**已逾期节点**\n${overdueLines(v.overdue).join('\n')}\n<font color='grey'>发送“节点”查看未完成的小区名单。</font>`)] : [];
  return card(
    v.title,
    [
      markdown(lines.join('\n')),
      ...overdue,
      ...charts,
      ...(periodLines.length ? [hr(), markdown(periodLines.join('\n'))] : []),
      ...(v.afterCoverage ? [hr(), markdown(afterCoverageProgressMarkdown(v.afterCoverage))] : []),
      hr(),
      markdown(`${heading}\n${communityLines.join('\n')}`),
      ...(rest.length && v.allCommunities ? [buttonRow([button(`查看全部 ${v.communities.length} 个社区`, v.allCommunities)])] : []),
      markdown(`<font color='grey'>${md(v.scopeLabel)} · 数据截至 ${v.asOfLabel}</font>`),
    ],
    { template: 'blue', summary: `已入驻 ${v.coverage.covered}/${v.coverage.total}` },
  );
}

/** Communities per page of the full list. */
export const COMMUNITY_PAGE_SIZE = 25;

export interface CommunityListView {
  title: string;
  asOfLabel: string;
  communities: ProgressCommunity[];
  page: number;
  /** The button value for page `p` of the list, and for the overview. */
  pageValue(p: number): Record<string, unknown>;
  overviewValue: Record<string, unknown>;
}

/** Every community in the campaign's order, a page at a time, with the way back to the overview. */
export function communityListCard(v: CommunityListView): Card {
  const pages = Math.max(1, Math.ceil(v.communities.length / COMMUNITY_PAGE_SIZE));
  const page = Math.min(Math.max(0, Math.floor(v.page)), pages - 1);
  const shown = v.communities.slice(page * COMMUNITY_PAGE_SIZE, (page + 1) * COMMUNITY_PAGE_SIZE);
  const buttons = [];
  if (page > 0) buttons.push(button('上一页', v.pageValue(page - 1)));
  if (page < pages - 1) buttons.push(button(`下一页（${page + 2}/${pages}）`, v.pageValue(page + 1)));
  buttons.push(button('返回总览', v.overviewValue));
  return card(
    v.title,
    [
      markdown(`**分社区情况**（共 ${v.communities.length} 个社区，第 ${page + 1}/${pages} 页）\n${shown.map(communityLine).join('\n')}`),
      buttonRow(buttons),
      markdown(`<font color='grey'>数据截至 ${v.asOfLabel}</font>`),
    ],
    { template: 'blue', summary: `分社区情况 第 ${page + 1}/${pages} 页` },
  );
}
