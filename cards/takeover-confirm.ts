/** The card that shows what was understood from a takeover report and asks for the rest. Pure. */
import { FIELD_LIMITS } from '../src/domain/field-limits.ts';
import { type Card, type Element, button, buttonRow, card, form, hr, input, markdown, md, select } from './kit.ts';
import { CATEGORY_LABELS, type TakeoverLinesInput, showPhone, takeoverLines } from './takeover-lines.ts';

export interface ConfirmView {
  /** The compound, when it is settled. */
  compound: { name: string; community: string } | null;
  fields: TakeoverLinesInput & { category: 1 | 2 | 3 | null };
  natureInferred: boolean;
  /** What is still needed, in words (选择小区, 管理性质, 入驻时间). */
  missing: string[];
  /** Remarks on what was understood (两个小区, 自主和外聘都写了…). */
  notes: string[];
  /** Compounds to choose from (buttons for a few, a list in the form for many). */
  choices: { id: number; name: string; community: string }[];
  maskPhone: boolean;
  confirm: { kind: string; token: string };
}

const MAX_BUTTONS = 12;

export function confirmCard(v: ConfirmView): Card {
  const understood = [
    `小区：${v.compound ? `**${md(v.compound.name)}**（${md(v.compound.community)}）` : '（请选择）'}`,
    ...takeoverLines(v.fields, { maskPhone: v.maskPhone, natureNote: v.natureInferred ? '根据企业名称判断' : undefined, missingMark: '（未填）' }),
    ...(v.fields.category ? [`类别：${CATEGORY_LABELS[v.fields.category]}`] : []),
  ];
  const elements: Element[] = [markdown(`我理解的内容如下，**确认前不会记录**：\n${understood.map((l) => `- ${l}`).join('\n')}`)];
  if (v.notes.length) elements.push(markdown(v.notes.map((n) => `⚠️ ${md(n)}`).join('\n')));
  if (v.missing.length) elements.push(markdown(`还需要：**${v.missing.join('、')}**`));
  const useButtons = !v.compound && v.choices.length > 0 && v.choices.length <= MAX_BUTTONS;
  if (useButtons) {
    elements.push(markdown('请选择是哪个小区：'));
    elements.push(buttonRow(v.choices.map((c) => button(c.name, { a: v.confirm.kind, t: v.confirm.token, c: c.id }))));
  }
  elements.push(hr());
  const fields: Element[] = [];
  if (!v.compound && v.choices.length > MAX_BUTTONS) {
    fields.push(select('compound', '选择小区', v.choices.map((c) => ({ text: `${c.name}（${c.community}）`, value: String(c.id) }))));
  }
  fields.push(
    select('nature', '管理性质', [{ text: '外聘', value: '外聘' }, { text: '自主', value: '自主' }], v.fields.nature ?? undefined),
    input('startDate', '入驻时间', { placeholder: '如 2020-09-20 或 9月20日', value: v.fields.startDate ?? undefined }),
    input('company', '物业企业', { value: v.fields.company ?? undefined, maxLength: FIELD_LIMITS.company }),
    input('services', '服务内容', { placeholder: '保洁、保安、护绿、维护秩序、设施维护', value: v.fields.services.join('、') || undefined, maxLength: FIELD_LIMITS.services }),
    input('manager', '负责人', { value: v.fields.manager ?? undefined, maxLength: FIELD_LIMITS.manager }),
    input('phone', '联系电话', { value: v.fields.phone ? showPhone(v.fields.phone, v.maskPhone) : undefined }),
  );
  elements.push(form('takeover_form', fields, { text: '确认记录', kind: v.confirm.kind, token: v.confirm.token }));
  return card(v.compound ? `请确认：${v.compound.name}入驻信息` : '请确认入驻信息', elements, { template: 'orange', summary: '请确认入驻信息' });
}
