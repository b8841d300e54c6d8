/**
 * The one rule for masking phone numbers in text meant for a group: 13905321234 → 139****1234,
 * 0632-8869917 → 0632-****917. It also reads numbers written with full-width digits (１３９０５３２１２３４),
 * spaces, dots or dashes (139 0532 1234, 139.0532.1234), a +86 prefix, and landlines with the area code in
 * brackets or apart ((0632)8869917, （0632）8869917, 0632 8869917).
 */

/** Full-width digits and separators folded to ASCII, one UTF-16 unit for one, so match positions carry over. */
function fold(text: string): string {
  return text.replace(/[０-９（）＋－．\u3000]/g, (ch) => {
    if (ch === '\u3000') return ' ';
    return String.fromCharCode(ch.charCodeAt(0) - 0xfee0);
  });
}

const SEP = '[ .\\-]?';
const MOBILE = new RegExp(`(?<![\\d])(?:\\+?86${SEP})?(1[3-9]\\d)${SEP}(\\d{4})${SEP}(\\d{4})(?![\\d])`, 'g');
const LANDLINE = new RegExp(`(?<![\\d])(?:\\((0\\d{2,3})\\) ?|(0\\d{2,3})${SEP})(\\d{7,8})(?![\\d])`, 'g');

export interface PhoneSpan {
  start: number;
  end: number;
  /** The number as it may be shown in a group, e.g. 139****1234 or 0632-****917. */
  masked: string;
}

/** Where the phone numbers are in `text` (UTF-16 offsets), in order. */
export function phoneSpans(text: string): PhoneSpan[] {
  if (!/[0-9０-９]/.test(text)) return [];
  const folded = fold(text);
  const spans: PhoneSpan[] = [];
  for (const m of folded.matchAll(MOBILE)) spans.push({ start: m.index, end: m.index + m[0].length, masked: `${m[1]}****${m[3]}` });
  for (const m of folded.matchAll(LANDLINE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (spans.some((s) => start < s.end && end > s.start)) continue;
    spans.push({ start, end, masked: `${m[1] ?? m[2]!}-****${m[3]!.slice(-3)}` });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Replaces each span of `text` with its masked form (passed through `render`, e.g. to escape it for markdown). */
export function replaceSpans(text: string, spans: { start: number; end: number; masked: string }[], render: (masked: string) => string = (x) => x): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + render(s.masked);
    at = s.end;
  }
  return out + text.slice(at);
}

export function maskPhones(text: string): string {
  const spans = phoneSpans(text);
  return spans.length ? replaceSpans(text, spans) : text;
}
