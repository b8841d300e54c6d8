/** Undoing a change, from the 撤销 command or the result card's button. */
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import { type AuditRow, changeLabel, undoChange } from '../../src/domain/undo.ts';

/** Reverts the entries and says what was restored. */
export async function undoAndDescribe(ctx: BotContext | CardContext, rows: AuditRow[]): Promise<{ compounds: string[]; what: string; text: string }> {
  const targets = await undoChange(ctx, rows, ctx.campaign.timezone);
  const compounds = [...new Set(targets.map((t) => t.compoundName))];
  const what = [...new Set(targets.map((t) => changeLabel(t.row.entity)))].join('、');
  return { compounds, what, text: `已撤销您对${compounds.join('、')}的${what}修改，已恢复为修改前的状态。` };
}
