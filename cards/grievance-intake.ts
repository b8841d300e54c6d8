/** Cards for a grievance whose compound is not settled yet: a near match to confirm, or one part per compound. Pure. */
import { type Card, type Element, button, buttonRow, card, hr, markdown, md } from './kit.ts';

/** 福缘公寓 … → 您是不是指福源公寓？ with a button per close name; nothing is recorded until one is pressed. */
export function guessCard(text: string, written: string, choices: { label: string; value: Record<string, unknown> }[]): Card {
  return card(
    '请确认诉求所在小区',
    [
      markdown(`您反映的诉求：${md(text)}\n没有找到“${md(written)}”，您是不是指以下小区？请点选（选定后才会登记）：`),
      buttonRow(choices.map((c) => button(c.label, c.value))),
    ],
    { template: 'yellow' },
  );
}

export interface GrievancePart {
  compound: string;
  text: string;
  /** The id of the grievance once recorded. */
  code: string | null;
  button: Record<string, unknown> | null;
}

/** A message with a problem for each of several compounds: each part is recorded on its own, with its own words. */
export function grievancePartsCard(parts: GrievancePart[]): Card {
  const elements: Element[] = [markdown(`这条消息涉及 ${parts.length} 个小区，将分别登记为 ${parts.length} 件诉求。请逐一确认（确认后才会登记）：`)];
  parts.forEach((p, i) => {
    elements.push(hr());
    elements.push(markdown(`**${i + 1}. ${md(p.compound)}**：${md(p.text)}`));
    if (p.code) elements.push(markdown(`✅ 已登记诉求 ${p.code}`));
    else if (p.button) elements.push(buttonRow([button(`登记${p.compound}的诉求`, p.button, 'primary')]));
  });
  return card('请确认诉求', elements, { template: 'yellow' });
}
