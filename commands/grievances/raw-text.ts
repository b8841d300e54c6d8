const MENTION_KEY = /@_user_\d+|@_all/g;

function normalized(s: string): string {
  return s.replace(MENTION_KEY, ' ').normalize('NFKC').replace(/[\s\u3000]+/g, ' ').trim();
}

/**
 * The argument parser folds text with NFKC (so "，" becomes ","); a grievance and its result are stored as the
 * person wrote them. Finds the end of the raw message that folds to `tail`; falls back to `tail` itself.
 */
export function originalTail(raw: string, tail: string): string {
  if (!tail) return tail;
  for (let i = raw.length - 1; i >= 0; i--) {
    const candidate = raw.slice(i);
    const n = normalized(candidate);
    if (n === tail) return candidate.replace(MENTION_KEY, ' ').replace(/[\s\u3000]+/g, ' ').trim();
    if (n.length > tail.length + 2) break;
  }
  return tail;
}
