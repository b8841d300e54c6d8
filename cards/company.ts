/** A property company's credit file (信用档案), and the list of companies. Pure. */
import { maskPhones } from '../src/logger.ts';
import { type Card, type Element, card, hr, markdown, md } from './kit.ts';

const score = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface CompanyCardView {
  name: string;
  variants: string[];
  compounds: { name: string; community: string; since: string }[];
  grievances: { total: number; open: number; overdue: number; byDepartment: Record<string, number> };
  assessments: { periodLabel: string; compound: string; total: number; maxTotal: number; passed: boolean }[];
  records: { when: string; text: string; compound: string | null; by: string }[];
  maskPhone: boolean;
  asOfLabel: string;
}

/** Enough to read on a phone and within Lark's 30 KB; the API and the 调度表 hold everything. */
export const COMPANY_LIST_LIMIT = 30;

export function companyCard(v: CompanyCardView): Card {
  const show = (s: string) => md(v.maskPhone ? maskPhones(s) : s);
  const served = v.compounds.length
    ? v.compounds.slice(0, COMPANY_LIST_LIMIT).map((c) => `- ${md(c.name)}（${md(c.community)}），${c.since}起`).join('\n') +
      (v.compounds.length > COMPANY_LIST_LIMIT ? `\n- 等共 ${v.compounds.length} 个小区` : '')
    : '- 目前没有在服务的小区';
  const g = v.grievances;
  const depts = Object.entries(g.byDepartment).sort((a, b) => b[1] - a[1]).map(([d, n]) => `${md(d)} ${n}`).join('，');
  const grievanceLine = g.total
    ? `共 ${g.total} 件，未办结 ${g.open} 件，超期 ${g.overdue > 0 ? `<font color='red'>**${g.overdue}**</font>` : '0'} 件\n按部门：${depts}`
    : '暂无';
  const assessed = v.assessments.length
    ? v.assessments.slice(-COMPANY_LIST_LIMIT).map((a) => `- ${a.periodLabel} ${md(a.compound)}：${score(a.total)}/${score(a.maxTotal)} ${a.passed ? '合格' : "<font color='red'>不合格</font>"}`).join('\n')
    : '- 暂无考核结果';
  const records = v.records.length
    ? v.records.slice(-COMPANY_LIST_LIMIT).map((r) => `- ${r.when}${r.compound ? ` ${md(r.compound)}` : ''}：${show(r.text)}（${md(r.by)}）`).join('\n')
    : '- 暂无不良行为记录';
  const elements: Element[] = [
    markdown(`**服务小区（${v.compounds.length}）**\n${served}`),
    markdown(`**群众诉求**（在服务小区、入驻以后）\n${grievanceLine}`),
    markdown(`**考核结果**\n${assessed}`),
    hr(),
    markdown(`**不良行为记录（${v.records.length}）**\n${records}`),
  ];
  const others = v.variants.filter((n) => n !== v.name);
  if (others.length) elements.push(markdown(`<font color='grey'>也记作：${others.map(md).join('、')}</font>`));
  elements.push(markdown(`<font color='grey'>数据截至 ${v.asOfLabel}</font>`));
  return card(`${v.name} 信用档案`, elements, { template: v.records.length ? 'orange' : 'blue', summary: `${v.name}：服务${v.compounds.length}个小区，不良记录${v.records.length}条` });
}

export interface CompanyListView {
  companies: { name: string; compounds: number; records: number }[];
  asOfLabel: string;
}

export function companyListCard(v: CompanyListView): Card {
  const lines = v.companies.slice(0, 60).map((c) => `- ${md(c.name)}：服务 ${c.compounds} 个小区${c.records ? `，<font color='red'>不良记录 ${c.records} 条</font>` : ''}`);
  if (v.companies.length > 60) lines.push(`- 等共 ${v.companies.length} 家`);
  return card('物业企业信用档案', [
    markdown(lines.length ? lines.join('\n') : '还没有登记入驻的物业企业。'),
    markdown(`<font color='grey'>发送“公司 企业名称”查看一家企业的档案 · 截至 ${v.asOfLabel}</font>`),
  ], { template: 'blue', summary: `物业企业 ${v.companies.length} 家` });
}
