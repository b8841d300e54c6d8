import type { z } from 'zod';
import type { Actor, Role } from '../auth/actor.ts';
import type { CampaignInfo } from '../domain/campaign.ts';
import type { BotContext, CardContext } from './context.ts';
import type { CardResponse, Mention } from './types.ts';
import type { JobDefinition } from '../scheduler/job.ts';
import type { FollowUpDefinition } from '../followups/followup.ts';

/** What a command's argument schema receives: the words after the command word, and the mentions. */
export interface CommandInput {
  /** The words after the command word, split on spaces; mention placeholders removed. */
  words: string[];
  /** Other people mentioned in the message, in order. */
  mentions: Mention[];
  /** Everything after the command word, as typed (mention placeholders removed). */
  rest: string;
}

/** Who may use a command: anyone, any bound user, or the listed roles. */
export type Access = 'anyone' | 'bound' | readonly Role[];

export interface CommandDefinition<A = unknown> {
  name: string;
  /** Other words that call the command: Chinese synonyms and English names. */
  aliases: readonly string[];
  summary: string;
  /** The summary shown to those who may only read (leaders, departments), when `summary` promises editing. */
  readOnlySummary?: string;
  usage: string;
  examples: readonly string[];
  access: Access;
  /** A finer check after `access`, for permissions the campaign names (e.g. the assessing departments); 帮助 uses it too. */
  permits?(actor: Actor, campaign: CampaignInfo): boolean;
  args: z.ZodType<A>;
  handler(ctx: BotContext, args: A): Promise<void>;
}

/** A handler for presses of a card's buttons or form submissions, keyed by the `a` field of the value. */
export interface CardActionDefinition<V = unknown> {
  kind: string;
  value: z.ZodType<V>;
  handler(ctx: CardContext, value: V): Promise<CardResponse>;
}

/**
 * Understands a message written without a command word (a takeover report, a grievance). `match` is a cheap
 * test; the first interpreter that claims the text handles it.
 */
export interface InterpreterDefinition {
  name: string;
  match(text: string): boolean;
  handler(ctx: BotContext, text: string): Promise<void>;
}

export function defineCommand<A>(def: CommandDefinition<A>): CommandDefinition<A> {
  return def;
}

export function defineCardAction<V>(def: CardActionDefinition<V>): CardActionDefinition<V> {
  return def;
}

export function defineInterpreter(def: InterpreterDefinition): InterpreterDefinition {
  return def;
}

/**
 * Runs after every message or card action that was handled, in the same transaction, with what it changed (the
 * audit entities it wrote): for news that a write has just made true, sent once with the event's own replies.
 */
export interface ReactionDefinition {
  name: string;
  run(ctx: BotContext | CardContext, changed: ReadonlySet<string>): Promise<void>;
}

export function defineReaction(def: ReactionDefinition): ReactionDefinition {
  return def;
}

/** A feature module: its commands, card actions and interpreters, handed to the registry by the composition root. */
export interface FeatureModule {
  commands?: CommandDefinition<any>[];
  cardActions?: CardActionDefinition<any>[];
  interpreters?: InterpreterDefinition[];
  reactions?: ReactionDefinition[];
  /** Scheduled work (prompts, reminders, digests, period snapshots). */
  jobs?: JobDefinition[];
  /** Work after an event that must not hold its transaction (asking a model on the network). */
  followUps?: FollowUpDefinition[];
}
