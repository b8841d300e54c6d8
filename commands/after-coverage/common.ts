/** Small helpers the after-coverage commands share. */
import type { BotContext, CardContext } from '../../src/bot/context.ts';
import { type AfterCoverageSettings, afterCoverageSettings } from '../../src/campaign/after-coverage.ts';
import { formatChineseDate, localDate, localParts } from '../../src/calendar/dates.ts';
import { foldText } from '../../src/understanding/text-fold.ts';

type Ctx = Pick<BotContext | CardContext, 'campaign' | 'now'>;

export const settingsOf = (ctx: Pick<Ctx, 'campaign'>): AfterCoverageSettings => afterCoverageSettings(ctx.campaign.definition);

/** Today in the campaign's zone. */
export const todayOf = (ctx: Ctx): string => localDate(ctx.now, ctx.campaign.timezone);

/** '12月3日 10:00'. */
export function whenLabel(iso: string, timeZone: string): string {
  const p = localParts(new Date(iso), timeZone);
  return `${formatChineseDate(p.date)} ${p.time}`;
}

/** '2020年12月3日 10:00', for "as of" footers. */
export function asOfLabel(ctx: Ctx): string {
  const p = localParts(ctx.now, ctx.campaign.timezone);
  return `${formatChineseDate(p.date, true)} ${p.time}`;
}

/** Whether the text names the street itself (街道, 街道办, 山城街道, 山城街道办事处). */
export function namesStreet(text: string, street: string): boolean {
  const t = foldText(text);
  const s = foldText(street);
  const core = s.replace(/(街道办事处|街道|镇)$/, '');
  return /^(本?街道|街道办(事处)?)$/.test(t) || t === s || t === `${s}办事处` || t === `${s}办` || (core.length >= 2 && t === core);
}
