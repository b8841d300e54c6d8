/**
 * Which characters of a message the reader has accounted for, and as what. Every extractor claims the spans it
 * understood; whatever content is left unclaimed at the end is a word the reader did not understand.
 */

export type SpanKind =
  | 'compound' | 'community' | 'company' | 'company-ref' | 'nature' | 'date' | 'vague-date' | 'phone' | 'bad-number'
  | 'manager' | 'marker' | 'service' | 'category' | 'filler'
  /** One-character fillers (的, 了, 是): they never make a word on their own, and do not split one left over. */
  | 'glue';

export interface Span {
  kind: SpanKind;
  start: number;
  end: number;
  text: string;
}

/** Punctuation and spaces: they separate fields and never need understanding. */
export const SEPARATOR = /[\s,，。.·:：;；、!！?？\-_/\\|~～()（）【】\[\]「」『』“”"'‘’<>《》+*#&…=]/;

export class Claims {
  readonly text: string;
  private readonly owner: (SpanKind | null)[];
  readonly spans: Span[] = [];

  constructor(text: string) {
    this.text = text;
    this.owner = new Array<SpanKind | null>(text.length).fill(null);
  }

  isFree(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.owner[i] !== null) return false;
    return true;
  }

  kindAt(i: number): SpanKind | null {
    return this.owner[i] ?? null;
  }

  /** Claims a span if none of it is claimed yet; returns whether it did. */
  claim(kind: SpanKind, start: number, end: number): boolean {
    if (start >= end || !this.isFree(start, end)) return false;
    for (let i = start; i < end; i++) this.owner[i] = kind;
    this.spans.push({ kind, start, end, text: this.text.slice(start, end) });
    return true;
  }

  /** Whether position i ends a word: outside the text, a separator, or already claimed. */
  isBoundary(i: number): boolean {
    return i < 0 || i >= this.text.length || this.owner[i] !== null || SEPARATOR.test(this.text[i]!);
  }

  /** Claims every free occurrence of the words (longest first), as `kind`. */
  claimWords(kind: SpanKind, words: readonly string[], from = 0, to = this.text.length): void {
    const sorted = [...new Set(words)].sort((a, b) => b.length - a.length);
    for (const w of sorted) {
      for (let at = this.text.indexOf(w, from); at >= 0 && at + w.length <= to; at = this.text.indexOf(w, at + 1)) {
        this.claim(kind, at, at + w.length);
      }
    }
  }

  /**
   * The unclaimed runs of content (not separators) between from and to, as written: one-character fillers
   * inside a run stay in it (合同签了三年 is one word left over, not 合同签 and 三年).
   */
  leftovers(from = 0, to = this.text.length): Span[] {
    const out: Span[] = [];
    let start = -1;
    let free = false;
    const flush = (end: number) => {
      let a = start;
      let b = end;
      while (a < b && this.owner[a] === 'glue') a++;
      while (b > a && this.owner[b - 1] === 'glue') b--;
      if (free && a < b) out.push({ kind: 'filler', start: a, end: b, text: this.text.slice(a, b) });
      start = -1;
      free = false;
    };
    for (let i = from; i <= to; i++) {
      const owner = i < to ? this.owner[i] : undefined;
      const content = i < to && (owner === null || owner === 'glue') && !SEPARATOR.test(this.text[i]!);
      if (content && start < 0) start = i;
      if (content && owner === null) free = true;
      if (!content && start >= 0) flush(i);
    }
    return out;
  }

  /** Spans of one kind between from and to, in order. */
  of(kind: SpanKind, from = 0, to = this.text.length): Span[] {
    return this.spans.filter((s) => s.kind === kind && s.start >= from && s.end <= to).sort((a, b) => a.start - b.start);
  }
}
