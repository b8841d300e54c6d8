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

export interface ProgressAfterCoverage {
  disclosure: { total: number; complete: number };
  committees: { 已成立: number; 已备案: number; 筹备中: number };
  /** '2020年第四季度考核', with its counts. */
  assessment: { label: string; subjects: number; assessed: number; passed: number } | null;
  subsidies: { 待申报: number; 已申报: number; 已审核: number; 已兑现: number; paid: string };
}

/** The after-coverage lines of the 进度 card. */
export function afterCoverageProgressMarkdown(v: ProgressAfterCoverage): string {
  const lines = [
    `**公示**：${v.disclosure.complete}/${v.disclosure.total} 个小区各项已公示`,
    `**业委会**：已成立 ${v.committees.已成立 + v.committees.已备案} 个（其中已备案 ${v.committees.已备案}），筹备中 ${v.committees.筹备中}`,
  ];
  if (v.assessment) {
    const a = v.assessment;
    lines.push(`**${a.label}**：已考核 ${a.assessed}/${a.subjects}，合格 ${a.passed}`);
  }
  const s = v.subsidies;
  lines.push(`**奖补**：待申报 ${s.待申报}，已申报 ${s.已申报}，已审核 ${s.已审核}，已兑现 ${s.已兑现}（${s.paid}）`);
  return lines.join('\n');
}
