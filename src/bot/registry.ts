import type { CardActionDefinition, CommandDefinition, InterpreterDefinition, ReactionDefinition } from './command.ts';

export interface Registry {
  commands: readonly CommandDefinition<any>[];
  /** Finds the command a message starts with; returns it and the text after the command word. */
  match(text: string): { command: CommandDefinition<any>; rest: string } | null;
  cardAction(kind: string): CardActionDefinition<any> | undefined;
  interpreters: readonly InterpreterDefinition[];
  /** Run after each handled event, in its transaction. */
  reactions: readonly ReactionDefinition[];
  /** Command names close to a mistyped word, for "did you mean". */
  suggest(word: string): string[];
}

/** Words people put before a command word: 请, 帮我, 导出, 下载, 看看 (stripped only when a command follows). */
const COMMAND_LEAD = /^(?:请问|请|麻烦|帮我|帮忙|给我|我要|我想|想)*(?:导出|下载|生成|发一下|发个|发一份|看一下|看看|查看|查一下|查询|打开|出一下)/;

export function normalizeCommandWord(word: string): string {
  return word.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(dp[i - 1]![j]! + 1, dp[i]![j - 1]! + 1, dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return dp[a.length]![b.length]!;
}

/** Builds the lookup tables; two commands (or card actions) claiming one name fail at start. */
export function buildRegistry(
  commands: CommandDefinition<any>[],
  cardActions: CardActionDefinition<any>[] = [],
  interpreters: InterpreterDefinition[] = [],
  reactions: ReactionDefinition[] = [],
): Registry {
  const byName = new Map<string, CommandDefinition<any>>();
  const clashes: string[] = [];
  for (const c of commands) {
    for (const n of [c.name, ...c.aliases]) {
      const key = normalizeCommandWord(n);
      const other = byName.get(key);
      if (other) clashes.push(`"${n}" is claimed by both ${other.name} and ${c.name}`);
      byName.set(key, c);
    }
  }
  const actions = new Map<string, CardActionDefinition<any>>();
  for (const a of cardActions) {
    if (actions.has(a.kind)) clashes.push(`card action "${a.kind}" is defined twice`);
    actions.set(a.kind, a);
  }
  if (clashes.length) throw new Error(`command registry: ${clashes.join('; ')}`);

  // Longest names first, so "coverage progress" wins over a shorter English word.
  const names = [...byName.keys()].sort((a, b) => b.length - a.length);
  const isCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);

  function matchWord(t: string): { command: CommandDefinition<any>; rest: string } | null {
    const lower = t.toLowerCase();
    for (const n of names) {
      if (lower === n) return { command: byName.get(n)!, rest: '' };
      if (lower.startsWith(n)) {
        const next = t.slice(n.length);
        // English words need a space after them; a Chinese command word may be followed directly by its argument.
        if (/^\s/.test(next) || (isCjk(n) && n.length >= 2 && !/^[\u4e00-\u9fff]/.test(next))) {
          return { command: byName.get(n)!, rest: next.trim() };
        }
      }
    }
    return null;
  }

  return {
    commands,
    interpreters,
    reactions,
    cardAction: (kind) => actions.get(kind),
    match(text) {
      const t = text.normalize('NFKC').trim();
      const found = matchWord(t);
      if (found) return found;
      // 导出调度表, 帮我看看进度: a verb (and polite words) before the command word.
      const bare = t.replace(COMMAND_LEAD, '').trim();
      return bare && bare !== t ? matchWord(bare) : null;
    },
    suggest(word) {
      const w = normalizeCommandWord(word).slice(0, 12);
      if (!w) return [];
      const scored = [...byName.entries()]
        .map(([n, c]) => ({ name: c.name, d: editDistance(w, n) / Math.max(n.length, w.length) }))
        .filter((x) => x.d <= 0.5)
        .sort((a, b) => a.d - b.d);
      return [...new Set(scored.map((s) => s.name))].slice(0, 3);
    },
  };
}
