/** Undoing a change, from the 撤销 command or the result card's button; the reply says what was restored. */
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import { maskPhones } from '../../src/logger.ts';
import { type AuditRow, type UndoTarget, changeLabel, undoChange } from '../../src/domain/undo.ts';
import type { TakeoverSnapshot } from '../../src/domain/takeover-write.ts';
import type { ActionSnapshot } from '../../src/domain/compound-settings.ts';
import { CATEGORY_LABELS } from '../../cards/takeover-lines.ts';

function parse<T>(json: string | null): T | null {
  return json ? (JSON.parse(json) as T) : null;
}

function describeTakeover(t: TakeoverSnapshot | null): string {
  if (!t) return '无入驻记录';
  const who = t.company ?? (t.nature === '自主' ? '自主管理' : '外聘（企业未填）');
  return [who, t.manager, t.phone].filter(Boolean).join(' ') + (t.remarks ? `，备注：${t.remarks}` : '');
}

/** One restored record in words: `福源公寓的入驻信息恢复为：鑫安物业 王强 13905321234`. */
function restored(t: UndoTarget): string {
  const { row } = t;
  if (row.entity === 'takeover') return `${t.compoundName}的入驻信息恢复为：${describeTakeover(parse<TakeoverSnapshot>(row.before))}`;
  if (row.entity === 'category') {
    const c = parse<{ category: number | null }>(row.before)?.category ?? null;
    return `${t.compoundName}的类别恢复为：${c ? CATEGORY_LABELS[c] : '未设置'}`;
  }
  if (row.entity !== 'upgrade_action') return `${t.compoundName}的${changeLabel(row.entity)}已恢复为修改前的状态`;
  const action = row.entity_id.slice(row.entity_id.indexOf(':') + 1);
  const undone = parse<ActionSnapshot>(row.after)?.state ?? '—';
  const back = parse<ActionSnapshot>(row.before)?.state ?? '未开始';
  return `${t.compoundName}的${action}由“${undone}”恢复为：${back}`;
}

/** Reverts the entries and says what was restored; phones are masked in groups. */
export async function undoAndDescribe(ctx: BotContext | CardContext, rows: AuditRow[]): Promise<{ compounds: string[]; what: string; text: string }> {
  const targets = await undoChange(ctx, rows, ctx.campaign.timezone);
  const compounds = [...new Set(targets.map((t) => t.compoundName))];
  const what = [...new Set(targets.map((t) => changeLabel(t.row.entity)))].join('、');
  const text = `已撤销您最近的修改：${targets.map(restored).join('；')}。`;
  return { compounds, what, text: ctx.chat.type === 'group' ? maskPhones(text) : text };
}
