import { type Card, type Element, button, card, hr, markdown, md } from './kit.ts';
import type { CompoundView } from '../src/domain/compounds.ts';
import { maskPhones } from '../src/logger.ts';

/** The card action a `确认报送` button carries. */
export const REPORT_CONFIRM_ACTION = 'report.confirm';
/** The compound card (built elsewhere) that an `更新` button opens. */
export const COMPOUND_OPEN_ACTION = 'compound.open';

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
  /** Card markdown mentions of the community's staff (may be empty). */
  mentions: string;
  compounds: PromptCompound[];
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
    parts.push(t.company ?? (t.nature === '自主' ? '自主管理' : '物业企业未填'));
    parts.push(t.nature);
    parts.push(`${t.startDate}入驻`);
    if (t.manager || t.phone) parts.push(maskPhones(`负责人${t.manager ?? ''} ${t.phone ?? ''}`.trim()));
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

/** The prompt a community group gets the working day before a report is due. */
export function reportPromptCard(v: ReportPromptView): Card {
  const incomplete = v.compounds.filter((p) => p.gaps.length).length;
  const when = v.dueLabel === v.effectiveDueLabel ? v.dueLabel : `${v.effectiveDueLabel}（${v.dueLabel}遇节假日提前）`;
  const intro = [
    `${v.mentions ? `${v.mentions} ` : ''}您好！本期调度表将于**${when}**报送。`,
    `请核对${md(v.community)}以下 ${v.compounds.length} 个小区的信息${incomplete ? `（其中 ${incomplete} 个待补充）` : ''}，有变化请点“更新”或在群里@我说明，核对无误后点击“确认报送”。`,
  ].join('\n');
  if (v.confirmed) {
    return card(
      `${v.community} · ${v.dueLabel}调度表报送`,
      [
        markdown(`<font color='green'>**✅ ${md(confirmedLine(v.confirmed))}**</font>\n本期调度表将于${when}报送。小区信息如有变化，仍可点“更新”或在群里@我说明。`),
        hr(),
        ...v.compounds.map(compoundRow),
      ],
      { template: 'green', summary: `${v.community}${confirmedLine(v.confirmed)}` },
    );
  }
  return card(
    `${v.community} · ${v.dueLabel}调度表报送`,
    [
      markdown(intro),
      hr(),
      ...v.compounds.map(compoundRow),
      hr(),
      button('确认报送', { a: REPORT_CONFIRM_ACTION, c: v.communityId, d: v.due }, 'primary'),
      markdown(`<font color='grey'>也可以@我发送“报送”完成确认。</font>`),
    ],
    { template: 'orange', summary: `${v.community}请于${v.effectiveDueLabel}前确认报送` },
  );
}
