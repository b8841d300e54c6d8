/** Amounts of money as people type them: 20000, 20000元, 2万, 2万元, 1.5万, ¥20,000, 2万5千. Kept in 分. */

const AMOUNT = /(?:[¥￥]\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(万元|万|千元|千|元|块)?(?:\s*(\d)\s*千)?/;

/** Reads an amount typed as one word; null when the word is not an amount. */
export function parseAmountWord(word: string): number | null {
  const s = word.normalize('NFKC').trim();
  const m = new RegExp(`^${AMOUNT.source}$`).exec(s);
  if (!m) return null;
  const hasUnit = Boolean(m[3]) || /^[¥￥]/.test(s);
  const whole = Number(m[1]!.replace(/,/g, ''));
  const cents = m[2] ? Number(m[2].padEnd(2, '0')) : 0;
  // A bare number is yuan only when it is plainly money-sized; 18 could be a score or a day.
  if (!hasUnit && whole < 100) return null;
  let fen = whole * 100 + cents;
  if (m[3]?.startsWith('万')) fen = Math.round((whole + cents / 100) * 10000 * 100);
  else if (m[3]?.startsWith('千')) fen = Math.round((whole + cents / 100) * 1000 * 100);
  if (m[4]) {
    if (!m[3]?.startsWith('万')) return null;
    fen += Number(m[4]) * 1000 * 100;
  }
  return fen > 0 && fen <= 1e12 ? fen : null;
}

/** '2万元', '1,500元', '12,345.5元'. */
export function formatAmount(fen: number): string {
  const yuan = fen / 100;
  if (fen > 0 && fen % 1_000_000 === 0) return `${yuan / 10000}万元`;
  return `${yuan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}元`;
}
