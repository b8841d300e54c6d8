import type { CardResponse } from '../bot/types.ts';
import type { Logger } from '../logger.ts';
import { cardLimitProblem, oversizeFallbackCard } from './card-limits.ts';

/** The body Lark expects in answer to a card callback (卡片回传交互回调). */
export interface LarkCallbackAnswer {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/**
 * The bot's platform-neutral CardResponse in Lark's format: `{toast, card: {type: "raw", data: <card>}}`;
 * `{}` leaves the card as it is. A card over Lark's limits is never answered (Lark would refuse it and the
 * person would see an error): a small card saying so takes its place, and the error is logged.
 * Every intake (webhook, long connection) answers through this function.
 */
export function larkCallbackAnswer(r: CardResponse | null | undefined, log?: Logger): LarkCallbackAnswer {
  const out: LarkCallbackAnswer = {};
  if (r?.toast?.content) out.toast = { type: r.toast.type, content: r.toast.content };
  if (r?.card) {
    const problem = cardLimitProblem(r.card);
    if (problem) log?.error({ problem }, 'card answer over Lark limits; answered with a short card instead');
    out.card = { type: 'raw', data: problem ? oversizeFallbackCard(r.card) : r.card };
  }
  return out;
}
