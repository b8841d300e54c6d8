/**
 * Text messages are plain text to the people who wrote their parts. Lark reads markup in a text message
 * (`<at user_id="all">`, `<b>`, `[text](url)`), so whatever a user typed must stay inert when the bot repeats it
 * under its own name. The bot's own mentions are written as private-use marks (`textMention`) and become real
 * `<at>` tags only here, after everything else was neutralised: `renderText` is the one place outgoing text is
 * built. (The marks are stripped from everything users send, see sanitize.ts.)
 */

const OPEN = '\ue000';
const MID = '\ue001';
const CLOSE = '\ue002';
const MARK = /\ue000(ou_[A-Za-z0-9_-]+)\ue001([^\ue000-\ue002]*)\ue002/g;

/** A mention of one person for a text message, resolved by `renderText`. */
export function textMention(openId: string, name: string): string {
  return `${OPEN}${openId}${MID}${name.replace(/[\ue000-\ue002<>]/g, '')}${CLOSE}`;
}

/** Makes Lark text-message markup in `text` inert: tag openers, entities and link brackets become full-width look-alikes. */
export function neutraliseTextMarkup(text: string): string {
  return text
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '＆')
    .replace(/<(?=\s*\/?\s*[A-Za-z])/g, '＜')
    .replace(/\[([^\]\n]*)\]\s*\(/g, '［$1］（');
}

/** The text Lark receives: user markup neutralised, the bot's own mentions as `<at user_id="…">name</at>`. */
export function renderText(text: string): string {
  return neutraliseTextMarkup(text).replace(MARK, (_m, id: string, name: string) => `<at user_id="${id}">${name}</at>`);
}
