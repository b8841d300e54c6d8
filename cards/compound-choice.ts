/** Several compounds match what was typed: one button per candidate, each opening its compound card. Pure. */
import { type Card, button, buttonRow, card, markdown, md } from './kit.ts';

export interface CompoundChoiceView {
  typed: string;
  /** The card action each button carries, with the compound's id. */
  kind: string;
  choices: { id: number; name: string; community: string }[];
}

/** Lark cards stay short: at most this many buttons; the rest are counted. */
export const MAX_COMPOUND_CHOICES = 8;

export function compoundChoiceCard(v: CompoundChoiceView): Card {
  const shown = v.choices.slice(0, MAX_COMPOUND_CHOICES);
  const more = v.choices.length - shown.length;
  return card('请选择小区', [
    markdown(`“${md(v.typed)}”可能是以下小区，请点选要查看的一个：`),
    buttonRow(shown.map((c) => button(`${c.name}（${c.community}）`, { a: v.kind, c: c.id }))),
    ...(more > 0 ? [markdown(`另有 ${more} 个相近的小区，请写得更完整些。`)] : []),
  ], { template: 'wathet', summary: '请选择小区' });
}
