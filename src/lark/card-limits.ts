/**
 * Lark's hard limits on a card (card JSON 2.0, 结构 and 发送消息): at most 200 components and text elements, at
 * most 30 KB. A card over either is refused (11310 / 230025), so the bot never sends one: see the card guard.
 */
export const CARD_MAX_ELEMENTS = 200;
export const CARD_MAX_BYTES = 30 * 1024;
/** A text message's body may be up to 150 KB. */
export const TEXT_MAX_BYTES = 150 * 1024;

/** Every object with a `tag` (components and text elements); chart specs and button values hold none. */
export function cardElementCount(node: unknown, key?: string): number {
  if (key === 'chart_spec' || key === 'behaviors') return 0;
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + cardElementCount(x), 0);
  if (!node || typeof node !== 'object') return 0;
  let n = typeof (node as { tag?: unknown }).tag === 'string' ? 1 : 0;
  for (const [k, v] of Object.entries(node)) n += cardElementCount(v, k);
  return n;
}

/** Why Lark would refuse this card's size, or null when it fits. `json` is the card as it will be sent. */
export function cardLimitProblem(card: Record<string, unknown>, json = JSON.stringify(card)): string | null {
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > CARD_MAX_BYTES) return `card is ${bytes} bytes (limit ${CARD_MAX_BYTES})`;
  const elements = cardElementCount(card);
  if (elements > CARD_MAX_ELEMENTS) return `card has ${elements} elements (limit ${CARD_MAX_ELEMENTS})`;
  return null;
}

/** The card's title, for a fallback message. */
export function cardTitle(card: Record<string, unknown>): string {
  const header = card.header as { title?: { content?: unknown } } | undefined;
  const title = typeof header?.title?.content === 'string' ? header.title.content : '';
  return title.length > 40 ? `${title.slice(0, 39)}…` : title;
}

export const OVERSIZE_TEXT = '内容较多，超出了飞书卡片的显示上限，未能显示。请缩小范围后再试（例如指定社区或小区），或联系管理员。';

/** Said instead of a card that would be refused. */
export function oversizeFallbackText(card: Record<string, unknown>): string {
  const title = cardTitle(card);
  return title ? `抱歉，“${title}”${OVERSIZE_TEXT}` : `抱歉，${OVERSIZE_TEXT}`;
}

/** A small card put in place of one that would be refused, where only a card will do (PATCH, callback answers). */
export function oversizeFallbackCard(card: Record<string, unknown>): Record<string, unknown> {
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: cardTitle(card) || '内容过多' }, template: 'grey' },
    body: { elements: [{ tag: 'markdown', content: OVERSIZE_TEXT }] },
  };
}
