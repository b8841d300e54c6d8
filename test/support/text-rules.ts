/**
 * The markup Lark reads in a text message (发送消息 › text: `<at user_id="…">`, `<at id=…>`, `<b> <i> <u> <s>`,
 * `<a href>`, `[text](url)`). Tests use it to show that what users typed reaches a chat as plain text.
 */
export function liveTextMarkup(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/<\s*\/?\s*(at|b|i|u|s|a)\b[^>]*>/gi)) found.push(m[0]);
  for (const m of text.matchAll(/\[[^\]\n]*\]\s*\([^)\n]*\)/g)) found.push(m[0]);
  return found;
}
