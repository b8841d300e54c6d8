/** 奖补: the compounds by state (待申报 → 已申报 → 已审核 → 已兑现), with amounts and dates. Pure. */
import { type Card, type Element, card, hr, markdown, md } from './kit.ts';

export interface SubsidyLine {
  compound: string;
  community: string;
  periodLabel: string;
  /** e.g. '考核92分' or '申报2万元（12月1日）'. */
  detail: string;
  warning: string | null;
}

export interface SubsidiesView {
  title: string;
  states: { state: string; lines: SubsidyLine[] }[];
  totals: { paid: string; approved: string };
  stepsHelp: string;
  scopeLabel: string;
  asOfLabel: string;
}

export const SUBSIDY_LINE_LIMIT = 80;

export function subsidiesCard(v: SubsidiesView): Card {
  const counts = v.states.map((s) => `${s.state} ${s.lines.length}`).join('，');
  const elements: Element[] = [markdown(`${counts}\n已审核金额合计 ${v.totals.approved}，已兑现金额合计 ${v.totals.paid}`)];
  let budget = SUBSIDY_LINE_LIMIT;
  let hidden = 0;
  const blocks: string[] = [];
  for (const s of v.states) {
    if (!s.lines.length) continue;
    const shown = s.lines.slice(0, Math.max(0, budget));
    budget -= shown.length;
    hidden += s.lines.length - shown.length;
    if (!shown.length) continue;
    blocks.push(`**${s.state}（${s.lines.length}）**\n${shown.map((l) =>
      `- ${md(l.compound)}（${md(l.community)}，${l.periodLabel}）：${md(l.detail)}${l.warning ? ` <font color='red'>${md(l.warning)}</font>` : ''}`).join('\n')}`);
  }
  if (blocks.length) elements.push(hr(), markdown(blocks.join('\n')));
  else elements.push(markdown('暂无符合条件的奖补：老旧小区季度考核合格后即列为“待申报”。'));
  if (hidden) elements.push(markdown(`另有 ${hidden} 条未列出，请按状态或季度查看（如“奖补 已申报”）。`));
  elements.push(markdown(`<font color='grey'>${md(v.stepsHelp)}</font>`));
  elements.push(markdown(`<font color='grey'>${md(v.scopeLabel)} · 截至 ${v.asOfLabel}</font>`));
  return card(v.title, elements, { template: 'turquoise', summary: counts });
}
