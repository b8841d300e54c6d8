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

export function button(text: string, value: Record<string, unknown>, type: 'default' | 'primary' | 'danger' = 'default'): Element {
  return { tag: 'button', text: { tag: 'plain_text', content: text }, type, behaviors: [{ type: 'callback', value }] };
}

/** Buttons side by side. */
export function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

export function input(name: string, label: string, opts: { placeholder?: string; value?: string; required?: boolean } = {}): Element {
  return {
    tag: 'input',
    name,
    label: { tag: 'plain_text', content: label },
    ...(opts.placeholder ? { placeholder: { tag: 'plain_text', content: opts.placeholder } } : {}),
    ...(opts.value ? { default_value: opts.value } : {}),
    required: opts.required ?? false,
  };
}

export function select(name: string, label: string, options: { text: string; value: string }[], initial?: string): Element {
  return {
    tag: 'select_static',
    name,
    placeholder: { tag: 'plain_text', content: label },
    options: options.map((o) => ({ text: { tag: 'plain_text', content: o.text }, value: o.value })),
    ...(initial ? { initial_option: initial } : {}),
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

/** Escapes text shown inside card markdown. */
export function md(text: string): string {
  return text.replace(/([*_~`\[\]<>])/g, '\\$1');
}
