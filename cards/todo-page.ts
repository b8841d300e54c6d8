import { type Card, button, buttonRow, card } from './kit.ts';

/** The value of 待办's 更多 button: which list (k), the page it opens (p) and the cursor (b: older than this id). */
export const TODO_PAGE_ACTION = 'todo_page';

export interface TodoPageView {
  title: string;
  /** The page's lines, as plain text (phones already masked for a group). */
  lines: string[];
  filter: string;
  /** 0-based. */
  page: number;
  pages: number;
  /** The id of the oldest grievance on this page. */
  before: number;
}

/** One page of 待办 with a 更多 button to the next; plain text, so nothing typed renders as markup. */
export function todoPageCard(v: TodoPageView): Card {
  const more = v.page + 1 < v.pages
    ? [buttonRow([button(`更多（第 ${v.page + 2}/${v.pages} 页）`, { a: TODO_PAGE_ACTION, k: v.filter, p: v.page + 1, b: v.before }, 'primary')])]
    : [];
  return card(v.title, [{ tag: 'div', text: { tag: 'plain_text', content: v.lines.join('\n') } }, ...more], { subtitle: `第 ${v.page + 1}/${v.pages} 页` });
}
