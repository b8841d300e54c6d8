/** 您是不是指福源公寓？ — the close names as buttons; the command finishes for the one pressed. Pure. */
import { type Card, button, buttonRow, card, markdown, md } from './kit.ts';

export function compoundPickCard(written: string, choices: { label: string; value: Record<string, unknown> }[]): Card {
  return card(
    '请确认小区',
    [
      markdown(`没有找到“${md(written)}”，您是不是指以下小区？请点选（选定后才会修改）：`),
      buttonRow(choices.map((c) => button(c.label, c.value))),
    ],
    { template: 'yellow', summary: '请确认小区' },
  );
}
