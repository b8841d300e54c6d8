/** Small builders for Card JSON 2.0 (schema "2.0", elements under body). Pure; no I/O. */

export type Card = Record<string, unknown>;
export type Element = Record<string, unknown>;
export type Template = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey';

export function card(title: string, elements: Element[], opts: { template?: Template; subtitle?: string; summary?: string } = {}): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, ...(opts.summary ? { summary: { content: opts.summary } } : {}) },
    header: {
      title: { tag: 'plain_text', content: title },
      ...(opts.subtitle ? { subtitle: { tag: 'plain_text', content: opts.subtitle } } : {}),
      template: opts.template ?? 'blue',
    },
    body: { elements },
  };
}

export function markdown(content: string): Element {
  return { tag: 'markdown', content };
}

export function hr(): Element {
  return { tag: 'hr' };
}

/** Lark allows at most 100 characters in a button's text and a placeholder. */
const MAX_LABEL = 100;

/** Text cut to `max` characters (whole characters), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

export function button(text: string, value: Record<string, unknown>, type: 'default' | 'primary' | 'danger' = 'default'): Element {
  return { tag: 'button', text: { tag: 'plain_text', content: clip(text, MAX_LABEL) }, type, behaviors: [{ type: 'callback', value }] };
}

/** Buttons side by side. */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

/** A text field; `maxLength` (1–1000) stops typing beyond what the bot will store. */
export function input(name: string, label: string, opts: { placeholder?: string; value?: string; required?: boolean; maxLength?: number } = {}): Element {
  return {
    tag: 'input',
    name,
    label: { tag: 'plain_text', content: label },
    ...(opts.placeholder ? { placeholder: { tag: 'plain_text', content: clip(opts.placeholder, MAX_LABEL) } } : {}),
    ...(opts.value ? { default_value: opts.value } : {}),
    ...(opts.maxLength ? { max_length: Math.min(1000, Math.max(1, Math.floor(opts.maxLength))) } : {}),
    required: opts.required ?? false,
  };
}

/**
 * A drop-down. Lark refuses one without options, so with nothing to choose it is a line saying so; option values
 * must be unique, so a repeated value is offered once.
 */
export function select(name: string, label: string, options: { text: string; value: string }[], initial?: string): Element {
  const seen = new Set<string>();
  const unique = options.filter((o) => o.value !== '' && !seen.has(o.value) && seen.add(o.value));
  if (unique.length === 0) return markdown(`${md(label)}：暂无可选项`);
  return {
    tag: 'select_static',
    name,
    placeholder: { tag: 'plain_text', content: clip(label, MAX_LABEL) },
    options: unique.map((o) => ({ text: { tag: 'plain_text', content: o.text }, value: o.value })),
    ...(initial && seen.has(initial) ? { initial_option: initial } : {}),
  };
}

/** A form whose submit button is named "a:<kind>:<token>", since a submit button's value may not come back. */
export function form(name: string, elements: Element[], submit: { text: string; kind: string; token: string }): Element {
  return {
    tag: 'form',
    name,
    elements: [
      ...elements,
      {
        tag: 'button',
        name: `a:${submit.kind}:${submit.token}`,
        text: { tag: 'plain_text', content: submit.text },
        type: 'primary',
        form_action_type: 'submit',
        behaviors: [{ type: 'callback', value: { a: submit.kind, t: submit.token } }],
      },
    ],
  };
}

/** Characters card markdown gives a meaning to (emphasis, links, tags, headings, lists, tables, emoji, entities). */
const MD_SPECIAL = /[\\`*_~[\]()<>#+\-!|{}$&:=]/g;

/**
 * Escapes text from users (and campaign data) shown inside card markdown, as the docs prescribe: each special
 * character as an HTML entity (`*` → `&#42;`), the backslash and `&` included, so `\[x\](url)` or `<at id=all>`
 * typed by someone stays text.
 */
export function md(text: string): string {
  return text.replace(MD_SPECIAL, (c) => `&#${c.charCodeAt(0)};`);
}
