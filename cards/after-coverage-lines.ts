/** The after-coverage lines of a compound (公示, 业委会, the latest assessment, 奖补), for its card. Pure. */
import { md } from './kit.ts';

const score = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const day = (d: string | null) => (d ? `（${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日）` : '');

export interface CompoundAfterCoverage {
  disclosure: { item: string; state: string | null; onDate: string | null }[];
  committee: { state: string; onDate: string | null } | null;
  assessment: { label: string; total: number; maxTotal: number; passed: boolean } | null;
  subsidy: { label: string; state: string } | null;
}

export function afterCoverageMarkdown(v: CompoundAfterCoverage): string {
  const done = v.disclosure.filter((d) => d.state === '已公示').length;
  const items = v.disclosure.map((d) => `${d.state === '已公示' ? '✅' : '⬜'}${md(d.item)}${d.state === '已公示' ? day(d.onDate) : ''}`).join(' ');
  const lines = [
    `**公示**（${done}/${v.disclosure.length}）：${items}`,
    `**业委会**：${v.committee ? `${v.committee.state}${day(v.committee.onDate)}` : '未登记'}`,
  ];
  if (v.assessment) lines.push(`**考核**：${v.assessment.label} ${score(v.assessment.total)}/${score(v.assessment.maxTotal)}，${v.assessment.passed ? '合格' : '不合格'}`);
  if (v.subsidy) lines.push(`**奖补**：${v.subsidy.label} ${v.subsidy.state}`);
  return lines.join('\n');
}
