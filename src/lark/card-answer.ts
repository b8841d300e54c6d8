import type { CardResponse } from '../bot/types.ts';

/** A card callback's answer as Lark reads it: a toast, and a replacement card wrapped as a raw card. */
export interface LarkCallbackAnswer {
  toast?: CardResponse['toast'];
  card?: { type: 'raw'; data: Record<string, unknown> };
}

/** Our CardResponse in Lark's callback format (`{"toast":…,"card":{"type":"raw","data":…}}`), for every intake. */
export function larkCallbackAnswer(r: CardResponse): LarkCallbackAnswer {
  const answer: LarkCallbackAnswer = {};
  if (r.toast) answer.toast = r.toast;
  if (r.card) answer.card = { type: 'raw', data: r.card };
  return answer;
}
