import { type Card, type Element, button, buttonRow, card, hr, markdown, md } from './kit.ts';
import type { CompoundView } from '../src/domain/compounds.ts';
import { maskPhones } from '../src/logger.ts';

/** The card action a `确认报送` button carries. */
export const REPORT_CONFIRM_ACTION = 'report.confirm';
/** The compound card (built elsewhere) that an `更新` button opens. */
export const COMPOUND_OPEN_ACTION = 'compound.open';
/** Turns the prompt card to another page of its compounds. */
export const REPORT_PAGE_ACTION = 'report.page';
/**
 * Compounds per page: each row is 6 card elements, and Lark allows 200 per card (a city community has 100
 * compounds), so long lists are paged.
 */
export const PROMPT_PAGE_SIZE = 15;

export interface PromptCompound {
  compound: CompoundView;
  gaps: string[];
}

export interface ReportPromptView {
  communityId: number;
  community: string;
  /** The period's due date (YYYY-MM-DD) and its labels. */
  due: string;
  dueLabel: string;
  effectiveDueLabel: string;
  /** Why the due day moved: 节假日 or 休息日. */
  moveWord?: string;
  /** Card markdown mentions of the community's staff (may be empty). */
  mentions: string;
  compounds: PromptCompound[];
  /** Which page of the compounds to show (0-based; out of range shows the last). */
  page?: number;
  /** Once the community confirmed: who and when (`9月29日 09:00`); the card then offers no 确认报送. */
  confirmed?: { by: string; atLabel: string } | null;
}

/** The line a confirmed prompt card shows, e.g. `已由小紫于9月29日 09:00确认`. */
export function confirmedLine(c: { by: string; atLabel: string }): string {
  return `已由${c.by}于${c.atLabel}确认`;
}

const TRACK_LABELS = { coverage: '全覆盖任务', upgrade: '提升任务' } as const;

/** One compound's current state in a line; phones masked, as the card goes to a group. */
export function compoundStatus(c: CompoundView): string {
  const parts: string[] = [];
  const t = c.takeover;
  if (t) {
    // 自主 with no company is said once, as 自主管理; a phone without a name is a 联系电话, not a nameless 负责人.
    if (t.company) parts.push(t.company, t.nature);
    else parts.push(t.nature === '自主' ? '自主管理' : '外聘（物业企业未填）');
    parts.push(`${t.startDate}入驻`);
    if (t.manager) parts.push(maskPhones(`负责人${t.manager}${t.phone ? ` ${t.phone}` : ''}`));
    else if (t.phone) parts.push(`联系电话${maskPhones(t.phone)}`);
  } else parts.push(c.track === 'coverage' ? '未入驻' : '物业信息未录入');
  if (c.category !== null) parts.push(`类别${c.category}`);
  if (c.actions) parts.push(`攻坚已完成${Object.values(c.actions).filter((s) => s === '已完成').length}/4`);
  return parts.join(' · ');
}

function compoundRow(p: PromptCompound): Element {
  const c = p.compound;
  const gaps = p.gaps.length ? `\n<font color='red'>待补：${p.gaps.join('、')}</font>` : `\n<font color='green'>信息完整</font>`;
  return {
    tag: 'column_set',
    flex_mode: 'none',
    columns: [
      { tag: 'column', width: 'weighted', weight: 5, vertical_align: 'center', elements: [markdown(`**${md(c.name)}**（${TRACK_LABELS[c.track]}）\n${md(compoundStatus(c))}${gaps}`)] },
      { tag: 'column', width: 'auto', vertical_align: 'center', elements: [button('更新', { a: COMPOUND_OPEN_ACTION, c: c.id })] },
    ],
  };
}

function pageButtons(v: ReportPromptView, page: number, pages: number): Element {
  const to = (p: number) => ({ a: REPORT_PAGE_ACTION, c: v.communityId, d: v.due, p });
  const buttons = [];
  if (page > 0) buttons.push(button('上一页', to(page - 1)));
  if (page < pages - 1) buttons.push(button(`下一页（${page + 2}/${pages}）`, to(page + 1)));
  return buttonRow(buttons);
}

/** The prompt a community group gets the working day before a report is due; many compounds are paged. */
export function reportPromptCard(v: ReportPromptView): Card {
  const incomplete = v.compounds.filter((p) => p.gaps.length).length;
  const pages = Math.max(1, Math.ceil(v.compounds.length / PROMPT_PAGE_SIZE));
  const page = Math.min(Math.max(0, Math.floor(v.page ?? 0)), pages - 1);
  const shown = v.compounds.slice(page * PROMPT_PAGE_SIZE, (page + 1) * PROMPT_PAGE_SIZE);
  const when = v.dueLabel === v.effectiveDueLabel ? v.dueLabel : `${v.effectiveDueLabel}（${v.dueLabel}遇${v.moveWord ?? '节假日'}提前）`;
  const range = pages > 1 ? `\n以下为第 ${page * PROMPT_PAGE_SIZE + 1}—${page * PROMPT_PAGE_SIZE + shown.length} 个（第 ${page + 1}/${pages} 页），点“下一页”查看其余小区。` : '';
  const intro = [
    `${v.mentions ? `${v.mentions} ` : ''}您好！本期调度表将于**${when}**报送。`,
    `请核对${md(v.community)}以下 ${v.compounds.length} 个小区的信息${incomplete ? `（其中 ${incomplete} 个待补充）` : ''}，有变化请点“更新”或在群里@我说明，核对无误后点击“确认报送”。${range}`,
  ].join('\n');
  if (v.confirmed) {
    return card(
      `${v.community} · ${v.dueLabel}调度表报送`,
      [
        markdown(`<font color='green'>**✅ ${md(confirmedLine(v.confirmed))}**</font>\n本期调度表将于${when}报送。小区信息如有变化，仍可点“更新”或在群里@我说明。${range}`),
        hr(),
        ...shown.map(compoundRow),
        ...(pages > 1 ? [pageButtons(v, page, pages)] : []),
      ],
      { template: 'green', summary: `${v.community}${confirmedLine(v.confirmed)}` },
    );
  }
  return card(
    `${v.community} · ${v.dueLabel}调度表报送`,
    [
      markdown(intro),
      hr(),
      ...shown.map(compoundRow),
      ...(pages > 1 ? [pageButtons(v, page, pages)] : []),
      hr(),
      button('确认报送', { a: REPORT_CONFIRM_ACTION, c: v.communityId, d: v.due }, 'primary'),
      markdown(`<font color='grey'>也可以@我发送“报送”完成确认。</font>`),
    ],
    { template: 'orange', summary: `${v.community}请于${v.effectiveDueLabel}前确认报送` },
  );
}
