import type { z } from 'zod';
import type { CommandInput } from './command.ts';
import type { Mention } from './types.ts';

const MENTION_KEY = /@_user_\d+|@_all/g;

/** Splits the text after a command word into words and the mentions it names, in order. */
export function tokenize(rest: string, mentions: Mention[]): CommandInput {
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  const found: Mention[] = [];
  for (const key of rest.match(MENTION_KEY) ?? []) {
    const m = byKey.get(key);
    if (m && !found.includes(m)) found.push(m);
  }
  const cleaned = rest.replace(MENTION_KEY, ' ').normalize('NFKC').replace(/[\s\u3000]+/g, ' ').trim();
  return { words: cleaned ? cleaned.split(' ') : [], mentions: found, rest: cleaned };
}

export type ArgsResult<A> = { ok: true; args: A } | { ok: false; problems: string[] };

/** Runs a command's zod schema over its input; problems are the schema's own (Chinese) messages. */
export function parseArgs<A>(schema: z.ZodType<A>, input: CommandInput): ArgsResult<A> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, args: r.data };
  return { ok: false, problems: [...new Set(r.error.issues.map((i) => i.message))] };
}
