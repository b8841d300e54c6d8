/**
 * Phone numbers as people type them: mobiles with +86, spaces, dots or dashes (+86 139 0532 1234 →
 * 13905321234) and landlines with an area code (0632-8869917, (0632)8869917, 0632 8869917 → 0632-8869917).
 * Full-width digits are read after NFKC.
 */

export interface FoundPhone {
  phone: string;
  raw: string;
  index: number;
}

const MOBILE = /(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s.-]?(\d{4})[\s.-]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<![\d-])[(]?(0\d{2,3})[)]?[\s-]?(\d{7,8})(?![\d-])/g;

export function findPhones(text: string): FoundPhone[] {
  const s = text.normalize('NFKC');
  const out: FoundPhone[] = [];
  for (const m of s.matchAll(MOBILE)) out.push({ phone: `${m[1]}${m[2]}${m[3]}`, raw: m[0], index: m.index });
  for (const m of s.matchAll(LANDLINE)) {
    if (out.some((p) => m.index < p.index + p.raw.length && p.index < m.index + m[0].length)) continue;
    // Without a separator, 0 + 10 digits is too easily a mistyped mobile: insist on a dash, a space or brackets.
    if (!/[-)\s]/.test(m[0])) continue;
    out.push({ phone: `${m[1]}-${m[2]}`, raw: m[0], index: m.index });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Cuts the phone numbers out of the text. */
export function withoutPhones(text: string): string {
  let out = text.normalize('NFKC');
  for (const p of [...findPhones(out)].sort((a, b) => b.index - a.index)) {
    out = `${out.slice(0, p.index)} ${out.slice(p.index + p.raw.length)}`;
  }
  return out;
}

/** Reads a phone number typed into a card's form field: exactly one number, nothing else. */
export function parsePhoneField(value: string): { phone: string | null; problem: string | null } {
  const found = findPhones(value);
  const rest = withoutPhones(value).replace(/[\s,，;；、]/g, '').replace(/^(?:电话|手机|tel)[:：]?/i, '');
  if (found.length !== 1 || rest) return { phone: null, problem: `没有看懂电话“${value.slice(0, 20)}”，请写手机号（11位）或座机（如 0632-8869917）` };
  return { phone: found[0]!.phone, problem: null };
}
