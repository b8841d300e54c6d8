/** 考核结果: the results of one period, by community, with the compounds still unassessed. Pure. */
import { type Card, type Element, card, hr, markdown, md } from './kit.ts';

const score = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface ResultLine {
  name: string;
  /** Null: not assessed yet. */
  total: number | null;
  passed: boolean | null;
  company: string | null;
}

export interface AssessmentResultsView {
  title: string;
  scopeLabel: string;
  passMark: number;
  maxTotal: number;
  provisional: boolean;
  counts: { subjects: number; assessed: number; passed: number };
  groups: { community: string; lines: ResultLine[] }[];
  /** Other kinds' results shown in one line each (the street's 考核验收). */
  others: string[];
  asOfLabel: string;
}

/** A card stays well under Lark's 30 KB: past this many lines, the rest is counted, not listed. */
export const RESULT_LINE_LIMIT = 80;

function line(l: ResultLine): string {
  if (l.total === null) return `- ${md(l.name)}：<font color='grey'>未考核</font>`;
  const verdict = l.passed ? '合格' : "<font color='red'>不合格</font>";
  return `- ${md(l.name)}：${score(l.total)}分 ${verdict}${l.company ? `（${md(l.company)}）` : ''}`;
}

export function assessmentResultsCard(v: AssessmentResultsView): Card {
  const c = v.counts;
  const head = [
    `已考核 **${c.assessed}/${c.subjects}**，合格 ${c.passed}，不合格 ${c.assessed - c.passed}，未考核 ${c.subjects - c.assessed}`,
    `满分 ${score(v.maxTotal)} 分，${score(v.passMark)} 分及以上为合格${v.provisional ? '（默认标准）' : ''}`,
  ];
  const elements: Element[] = [markdown(head.join('\n'))];
  if (v.others.length) elements.push(markdown(v.others.map(md).join('\n')));
  let budget = RESULT_LINE_LIMIT;
  let hidden = 0;
  const blocks: string[] = [];
  for (const g of v.groups) {
    const shown = g.lines.slice(0, Math.max(0, budget));
    budget -= shown.length;
    hidden += g.lines.length - shown.length;
    if (shown.length) blocks.push(`**${md(g.community)}**\n${shown.map(line).join('\n')}`);
  }
  if (blocks.length) elements.push(hr(), markdown(blocks.join('\n')));
  if (hidden) elements.push(markdown(`另有 ${hidden} 个小区未列出，请按社区查看（如“考核结果 梅园社区”）或下载调度表。`));
  elements.push(markdown(`<font color='grey'>${md(v.scopeLabel)} · 截至 ${v.asOfLabel}</font>`));
  return card(v.title, elements, { template: 'blue', summary: `已考核 ${c.assessed}/${c.subjects}` });
}
