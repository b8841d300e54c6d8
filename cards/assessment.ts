/** The assessment form (a score per item, a note) and the card of a recorded score sheet. Pure. */
import { type Card, type Element, button, buttonRow, card, form, input, markdown, md } from './kit.ts';

const score = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

export interface AssessmentItemView {
  name: string;
  max: number;
  basis: string;
  /** The score now in force, or a value typed in the message. */
  value: number | null;
}

export interface AssessmentFormView {
  kindName: string;
  subject: string;
  /** The community (compounds) or the district (the street). */
  subtitle: string;
  periodLabel: string;
  company: string | null;
  items: AssessmentItemView[];
  passMark: number;
  maxTotal: number;
  provisional: boolean;
  standardNote: string;
  /** The sheet in force, if the subject was assessed already. */
  current: { total: number; passed: boolean; by: string; when: string; note: string | null } | null;
  note: string | null;
  /** Things the message said that could not be used. */
  notes: string[];
  submit: { kind: string; token: string };
}

/** Form field names: score0 … scoreN, then note. */
export const scoreField = (i: number) => `score${i}`;

export function assessmentFormCard(v: AssessmentFormView): Card {
  const lines = [
    `考核期：${v.periodLabel}`,
    ...(v.company ? [`物业企业：${md(v.company)}`] : []),
    `考核标准：${v.items.length} 项，满分 ${score(v.maxTotal)} 分，**${score(v.passMark)} 分及以上为合格**`,
  ];
  if (v.provisional) lines.push(`<font color='grey'>${md(v.standardNote || '默认标准，待正式印发的考核标准替换。')}</font>`);
  if (v.current) {
    lines.push(`当前结果：${score(v.current.total)} 分，${v.current.passed ? '合格' : '不合格'}（${md(v.current.by)} ${v.current.when} 录入）。重新提交即为更正，原结果保留在历史中。`);
  }
  const elements: Element[] = [markdown(lines.join('\n'))];
  if (v.notes.length) elements.push(markdown(v.notes.map((n) => `<font color='orange'>${md(n)}</font>`).join('\n')));
  const fields: Element[] = v.items.map((it, i) =>
    input(scoreField(i), `${it.name}（满分${score(it.max)}）`, {
      placeholder: it.basis ? it.basis.slice(0, 100) : `0—${score(it.max)}`,
      value: it.value !== null ? score(it.value) : undefined,
      required: true,
    }),
  );
  fields.push(input('note', '备注（扣分原因、整改要求等）', { value: v.note ?? undefined }));
  elements.push(markdown('**逐项打分**（填好后点“提交评分”，总分和是否合格由系统计算）'));
  elements.push(form('assessment_form', fields, { text: '提交评分', kind: v.submit.kind, token: v.submit.token }));
  return card(`${v.kindName}：${v.subject}`, elements, { template: 'blue', subtitle: v.subtitle, summary: `${v.kindName}评分：${v.subject}` });
}

export interface AssessmentResultView {
  kindName: string;
  subject: string;
  subtitle: string;
  periodLabel: string;
  company: string | null;
  items: { name: string; max: number; score: number }[];
  total: number;
  maxTotal: number;
  passMark: number;
  passed: boolean;
  note: string | null;
  correction: boolean;
  undo: { kind: string; token: string } | null;
}

export function assessmentResultCard(v: AssessmentResultView): Card {
  const verdict = v.passed ? `<font color='green'>**合格**</font>` : `<font color='red'>**不合格**</font>`;
  const lines = [
    `${v.correction ? '已更正' : '已记录'}${v.periodLabel}评分${v.company ? `（物业企业：${md(v.company)}）` : ''}：`,
    ...v.items.map((it) => `- ${md(it.name)}：${score(it.score)} / ${score(it.max)}`),
    `总分：**${score(v.total)}** / ${score(v.maxTotal)}，合格线 ${score(v.passMark)} 分，${verdict}`,
  ];
  if (v.note) lines.push(`备注：${md(v.note)}`);
  const elements: Element[] = [markdown(lines.join('\n'))];
  if (v.undo) {
    elements.push(markdown('如有误，可点击“撤销”恢复到提交前，或重新发送“考核”更正。'));
    elements.push(buttonRow([button('撤销', { a: v.undo.kind, t: v.undo.token }, 'danger')]));
  }
  return card(`已记录：${v.kindName} ${v.subject}`, elements, {
    template: v.passed ? 'green' : 'orange', subtitle: v.subtitle, summary: `${v.subject}${v.kindName}${score(v.total)}分`,
  });
}
