import { type Card, button, buttonRow, card } from './kit.ts';

/** The value of 待办's 更多 / 上一页 buttons: which list (k) and which page (p). */
export const TODO_PAGE_ACTION = 'todo_page';

export interface TodoPageView {
  title: string;
  /** The page's lines, as plain text (phones already masked for a group). */
  lines: string[];
  filter: string;
  page: number;
  pages: number;
}

/** One page of 待办 with buttons to the next and previous pages; plain text, so nothing typed renders as markup. */
export function todoPageCard(v: TodoPageView): Card {
  const buttons = [];
  if (v.page > 0) buttons.push(button('上一页', { a: TODO_PAGE_ACTION, k: v.filter, p: v.page - 1 }));
  if (v.page + 1 < v.pages) buttons.push(button(`更多（第 ${v.page + 2}/${v.pages} 页）`, { a: TODO_PAGE_ACTION, k: v.filter, p: v.page + 1 }, 'primary'));
  return card(v.title, [
    { tag: 'div', text: { tag: 'plain_text', content: v.lines.join('\n') } },
    ...(buttons.length ? [buttonRow(buttons)] : []),
  ], { subtitle: `第 ${v.page + 1}/${v.pages} 页` });
}
