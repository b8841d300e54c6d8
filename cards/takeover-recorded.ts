/** The card that tells what was recorded, with an 撤销 button. Pure. */
import { type Card, button, buttonRow, card, markdown, md } from './kit.ts';
import { CATEGORY_LABELS, type TakeoverLinesInput, takeoverLines } from './takeover-lines.ts';

export interface RecordedView {
  compound: string;
  community: string;
  /** The takeover as recorded now, when the takeover changed. */
  takeover: TakeoverLinesInput | null;
  /** A correction of an earlier record (kept in the history). */
  correction: boolean;
  /** The category, when this change set it. */
  category: { before: number | null; after: number } | null;
  maskPhone: boolean;
  undo: { kind: string; token: string } | null;
}

export function recordedCard(v: RecordedView): Card {
  const lines: string[] = [];
  if (v.takeover) {
    lines.push(v.correction ? '已更正入驻信息（原记录保留在历史中）：' : '已记录入驻信息：');
    lines.push(...takeoverLines(v.takeover, { maskPhone: v.maskPhone }).map((l) => `- ${l}`));
  }
  if (v.category) {
    const from = v.category.before ? `（原为${CATEGORY_LABELS[v.category.before]}）` : '';
    lines.push(`类别：**${CATEGORY_LABELS[v.category.after]}**${from}`);
  }
  const elements = [markdown(lines.join('\n'))];
  if (v.undo) {
    elements.push(markdown('如有误，可点击“撤销”恢复到修改前，或直接发送正确的内容。'));
    elements.push(buttonRow([button('撤销', { a: v.undo.kind, t: v.undo.token }, 'danger')]));
  }
  return card(`已记录：${v.compound}`, elements, { template: 'green', subtitle: v.community, summary: `已记录${v.compound}` });
}

/** The card an undone change turns into. */
export function undoneCard(compounds: string[], what: string, detail?: string): Card {
  return card('已撤销', [markdown(detail ? md(detail) : `已撤销对${compounds.map(md).join('、')}的${what}修改，恢复为修改前的状态。`)], { template: 'grey' });
}
