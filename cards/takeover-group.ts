/** One card for a report that names several compounds: a reading for each, confirmed one by one. Pure. */
import { type Card, type Element, button, buttonRow, card, hr, markdown, md } from './kit.ts';
import { CATEGORY_LABELS, type TakeoverLinesInput, takeoverLines } from './takeover-lines.ts';

export interface GroupSection {
  compound: { name: string; community: string } | null;
  /** Compounds to choose from when the name was not sure. */
  choices: string[];
  fields: TakeoverLinesInput & { category: 1 | 2 | 3 | null };
  notes: string[];
  missing: string[];
  /** Set once the section is handled (已记录 …). */
  done: string | null;
  /** The section's button: record it (complete) or open its own card to fill in the rest. */
  action: { kind: string; token: string; complete: boolean } | null;
}

export function groupCard(sections: GroupSection[], opts: { maskPhone: boolean }): Card {
  const elements: Element[] = [markdown(`消息中有 ${sections.length} 个小区，我分别理解如下，**每个小区单独确认，确认前不会记录**：`)];
  sections.forEach((s, i) => {
    const name = s.compound ? s.compound.name : s.choices.length ? `（请选择：${s.choices.join('、')}）` : '（请选择小区）';
    elements.push(hr());
    const lines = [
      `**${i + 1}. ${md(name)}**${s.compound ? `（${md(s.compound.community)}）` : ''}`,
      ...takeoverLines(s.fields, { maskPhone: opts.maskPhone, missingMark: '（未填）' }).map((l) => `- ${l}`),
      ...(s.fields.category ? [`- 类别：${CATEGORY_LABELS[s.fields.category]}`] : []),
    ];
    elements.push(markdown(lines.join('\n')));
    if (s.done) {
      elements.push(markdown(`✅ ${md(s.done)}`));
      return;
    }
    if (s.notes.length) elements.push(markdown(s.notes.map((n) => `⚠️ ${md(n)}`).join('\n')));
    if (s.missing.length) elements.push(markdown(`还需要：**${s.missing.join('、')}**`));
    if (s.action) {
      const label = s.action.complete ? `确认记录${s.compound?.name ?? ''}` : `补充${s.compound?.name ?? '该小区'}的信息`;
      elements.push(buttonRow([button(label, { a: s.action.kind, t: s.action.token }, s.action.complete ? 'primary' : 'default')]));
    }
  });
  return card(`请确认：${sections.length}个小区的入驻信息`, elements, { template: 'orange', summary: '请逐个确认入驻信息' });
}
