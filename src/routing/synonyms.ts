import { foldForRouting } from './text.ts';

/**
 * Rewrites interchangeable words to the first word of their group (电瓶车 → 电动车, 耗子 → 老鼠) so that what
 * the classifier learnt from one way of saying a thing carries over to the others. Longest variants first.
 */
export function synonymRewriter(groups: readonly (readonly string[])[]): (folded: string) => string {
  const canonical = new Map<string, string>();
  for (const group of groups) {
    const [head, ...rest] = group.map(foldForRouting).filter(Boolean);
    if (!head) continue;
    for (const variant of rest) if (variant !== head && !canonical.has(variant)) canonical.set(variant, head);
  }
  if (canonical.size === 0) return (s) => s;
  const alternatives = [...canonical.keys()].sort((a, b) => b.length - a.length).map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (s) => s.replace(pattern, (m) => canonical.get(m) ?? m);
}
