/**
 * What reaches a group passes through here: phone numbers are masked (one rule, src/text/phone-mask.ts) in text
 * messages, cards and card-callback answers bound for a group. A chat of unknown type counts as a group.
 * Mentions keep their open_ids, and button values, field names and option values are left as they are.
 */
import type { CardResponse, OutgoingContent } from '../bot/types.ts';
import { maskPhones, phoneSpans, replaceSpans } from '../text/phone-mask.ts';

export type Audience = 'p2p' | 'group';

/** `<at …></at>` tags (cards) and the bot's mention marks (text) are not text to mask. */
const MENTION = /(<at\b[^>]*>|\ue000[^\ue002]*\ue002)/;

function outsideMentions(text: string, mask: (part: string) => string): string {
  return text
    .split(MENTION)
    .map((part, i) => (i % 2 === 1 ? part : mask(part)))
    .join('');
}

export function maskOutsideMentions(text: string): string {
  return outsideMentions(text, maskPhones);
}

/**
 * Card markdown writes special characters as entities (`-` as `&#45;`, see cards/kit.ts `md`): numbers are read
 * through them, and the masked form is written the same way, so its `*` stay text.
 */
export function maskMarkdown(content: string): string {
  return outsideMentions(content, (part) => {
    if (!/[0-9０-９]/.test(part)) return part;
    let decoded = '';
    const from: number[] = [];
    for (const m of part.matchAll(/&#(\d{1,6});|[\s\S]/g)) {
      decoded += m[1] ? String.fromCharCode(Number(m[1])) : m[0];
      from.push(m.index);
    }
    from.push(part.length);
    const spans = phoneSpans(decoded).map((s) => ({ start: from[s.start]!, end: from[s.end]!, masked: s.masked }));
    return spans.length ? replaceSpans(part, spans, (x) => x.replace(/[*-]/g, (c) => `&#${c.charCodeAt(0)};`)) : part;
  });
}

const UNTOUCHED_KEYS = new Set(['behaviors', 'value', 'name', 'element_id', 'initial_option', 'form_action_type', 'tag', 'chart_spec']);
const MARKDOWN_TAGS = new Set(['markdown', 'lark_md']);

/** A copy of the card with every phone number in its text masked; markdown is read as markdown. */
export function maskCard<T>(node: T, key?: string, markdown = false): T {
  if (key !== undefined && UNTOUCHED_KEYS.has(key)) return node;
  if (typeof node === 'string') return (markdown ? maskMarkdown(node) : maskOutsideMentions(node)) as T;
  if (Array.isArray(node)) return node.map((x) => maskCard(x, undefined, markdown)) as T;
  if (node && typeof node === 'object') {
    const tag = (node as { tag?: unknown }).tag;
    const isMarkdown = typeof tag === 'string' ? MARKDOWN_TAGS.has(tag) : markdown;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, maskCard(v, k, isMarkdown)])) as T;
  }
  return node;
}

export function forAudience(content: OutgoingContent, audience: Audience): OutgoingContent {
  if (audience === 'p2p') return content;
  if (content.type === 'text') return { type: 'text', text: maskOutsideMentions(content.text) };
  if (content.type === 'card') return { type: 'card', card: maskCard(content.card) };
  return content;
}

/** A card-callback answer shown in a chat of this type. */
export function responseForAudience(response: CardResponse, audience: Audience): CardResponse {
  if (audience === 'p2p') return response;
  return {
    ...response,
    ...(response.toast ? { toast: { ...response.toast, content: maskPhones(response.toast.content) } } : {}),
    ...(response.card ? { card: maskCard(response.card) } : {}),
  };
}
