/**
 * The Card JSON 2.0 rules real Lark enforces, written from ../shared/reference/card-v2-rules.md (every rule there
 * with its source). `checkCard` is one pure function over card JSON; `checkCallbackAnswer` checks what a card
 * callback is answered with. The strict fake Open API and the recording messenger refuse what these refuse, the
 * way Lark does (see `larkRefusal`).
 *
 * Deliberately independent of the bot's own card code: it is the oracle the bot's cards are held to.
 */

export interface CardProblem {
  /** Lark's top-level error code: 230099 (card content), 230025 (over 30 KB), or a callback client error. */
  code: number;
  /** The 230099 sub-code (ErrCode): 200621 unknown property / bad value, 200861 unsupported tag, 11310 limit … */
  sub?: number;
  /** Lark's ErrPath style: ROOT -> body -> elements[1](tag: div) -> text(tag: plain_text). */
  path: string;
  message: string;
}

export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;
export const CARD_MAX_TABLES = 5;
const MAX_NESTING = 5;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const COMMON = ['tag', 'element_id', 'margin'];
const TEXT_TAGS = new Set(['plain_text', 'lark_md']);
const TEXT_PROPS = ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'];

const TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'];
const SIZES = ['tiny', 'small', 'medium', 'large'];
const FLEX_MODES = ['none', 'stretch', 'flow', 'bisect', 'trisect'];
const SPACING_WORDS = ['small', 'medium', 'large', 'extra_large'];
const ALIGN = ['left', 'center', 'right'];
const V_ALIGN = ['top', 'center', 'bottom'];
const TOAST_TYPES = ['info', 'success', 'error', 'warning'];

/** Tags 2.0 dropped: refused with 200861. */
const V1_ONLY = new Set(['action', 'note']);
/** 2.0 tags whose field lists are on their own pages: known, their properties not modelled here. */
const OTHER_V2_TAGS = new Set([
  'div', 'img', 'img_combination', 'person', 'person_list', 'table', 'audio', 'interactive_container', 'collapsible_panel',
  'overflow', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_time', 'picker_datetime',
  'select_img', 'checker',
]);
/** Interactive components: inside a form each needs a name unique across the card. */
const INTERACTIVE = new Set(['button', 'input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img', 'overflow']);

interface ComponentSpec {
  props: string[];
  required?: string[];
  check?: (el: Obj, at: Walk) => void;
}

interface Walk {
  path: string;
  /** The tag of the component this one sits in ('' at the root). */
  parent: string;
  depth: number;
  inForm: boolean;
  inColumn: boolean;
  atRoot: boolean;
  problem(message: string, sub?: number, path?: string): void;
  child(el: unknown, segment: string, opts?: Partial<Pick<Walk, 'inForm' | 'inColumn'>>): void;
  text(t: unknown, segment: string, opts?: { maxChars?: number; tags?: string[] }): void;
}

const pxIn = (v: unknown, min: number, max: number) => {
  const m = typeof v === 'string' ? /^(-?\d+)px$/.exec(v) : null;
  return m !== null && Number(m[1]) >= min && Number(m[1]) <= max;
};
const spacing = (v: unknown) => (typeof v === 'string' && SPACING_WORDS.includes(v)) || pxIn(v, 0, 99);

function enumCheck(el: Obj, key: string, allowed: readonly string[], at: Walk): void {
  if (el[key] !== undefined && !(typeof el[key] === 'string' && allowed.includes(el[key] as string))) {
    at.problem(`invalid value of ${key}: ${JSON.stringify(el[key])}`, 200621);
  }
}

function behaviorsCheck(el: Obj, at: Walk, openUrlAllowed: boolean): void {
  if (el.behaviors === undefined) return;
  if (!Array.isArray(el.behaviors)) return at.problem('behaviors must be an array', 200621);
  el.behaviors.forEach((b, i) => {
    const p = `${at.path} -> behaviors[${i}]`;
    if (!isObj(b)) return at.problem('behavior must be an object', 200621, p);
    if (b.type === 'callback') {
      for (const k of Object.keys(b)) if (!['type', 'value'].includes(k)) at.problem(`unknown property, property: ${k}`, 200621, p);
      if (!isObj(b.value)) at.problem('a callback behavior needs an object value', 200621, p);
    } else if (b.type === 'open_url') {
      if (!openUrlAllowed) at.problem('open_url is allowed only on button, column_set and interactive_container', 200621, p);
      for (const k of Object.keys(b)) if (!['type', 'default_url', 'android_url', 'ios_url', 'pc_url'].includes(k)) at.problem(`unknown property, property: ${k}`, 200621, p);
      if (typeof b.default_url !== 'string' || !b.default_url) at.problem('open_url needs default_url', 200621, p);
    } else {
      at.problem(`unknown behavior type ${JSON.stringify(b.type)}`, 200621, p);
    }
  });
}

function confirmCheck(el: Obj, at: Walk): void {
  if (el.confirm === undefined) return;
  if (!isObj(el.confirm)) return at.problem('confirm must be an object', 200621);
  for (const k of Object.keys(el.confirm)) if (!['title', 'text'].includes(k)) at.problem(`unknown property, property: ${k}`, 200621, `${at.path} -> confirm`);
  at.text(el.confirm.title, 'confirm -> title');
  at.text(el.confirm.text, 'confirm -> text');
}

const COMPONENTS: Record<string, ComponentSpec> = {
  markdown: {
    props: ['content', 'i18n_content', 'text_align', 'text_size', 'icon'],
    required: ['content'],
    check(el, at) {
      if (typeof el.content !== 'string') at.problem('content must be a string', 200621);
      enumCheck(el, 'text_align', ALIGN, at);
      if (typeof el.content === 'string') markdownCheck(el.content, at);
    },
  },
  hr: { props: [] },
  button: {
    props: ['type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', 'confirm', 'behaviors', 'name', 'form_action_type', 'url', 'multi_url', 'value'],
    check(el, at) {
      enumCheck(el, 'type', BUTTON_TYPES, at);
      enumCheck(el, 'size', SIZES, at);
      if (el.width !== undefined && !['default', 'fill'].includes(el.width as string) && !pxIn(el.width, 100, 10_000)) at.problem(`invalid value of width: ${JSON.stringify(el.width)}`, 200621);
      if (el.text === undefined) at.problem('a button needs text', 200621);
      else at.text(el.text, 'text', { maxChars: 100, tags: ['plain_text'] });
      at.text(el.hover_tips, 'hover_tips');
      at.text(el.disabled_tips, 'disabled_tips');
      confirmCheck(el, at);
      behaviorsCheck(el, at, true);
      if (el.form_action_type !== undefined) enumCheck(el, 'form_action_type', ['submit', 'reset'], at);
      if (at.inForm && (typeof el.name !== 'string' || !el.name || el.form_action_type === undefined)) {
        at.problem('a button in a form needs name and form_action_type', 200621);
      }
    },
  },
  column_set: {
    props: ['horizontal_spacing', 'horizontal_align', 'flex_mode', 'background_style', 'action', 'columns'],
    required: ['columns'],
    check(el, at) {
      enumCheck(el, 'flex_mode', FLEX_MODES, at);
      enumCheck(el, 'horizontal_align', ALIGN, at);
      if (el.horizontal_spacing !== undefined && !spacing(el.horizontal_spacing)) at.problem('invalid value of horizontal_spacing', 200621);
      if (el.action !== undefined && !(isObj(el.action) && Object.keys(el.action).every((k) => k === 'multi_url'))) at.problem('column_set action takes only multi_url', 200621);
      if (!Array.isArray(el.columns)) return at.problem('columns must be an array', 200621);
      el.columns.forEach((c, i) => {
        if (!isObj(c) || c.tag !== 'column') return at.problem(`a column_set holds only columns, got ${JSON.stringify(isObj(c) ? c.tag : c)}`, 200621, `${at.path} -> columns[${i}]`);
        at.child(c, `columns[${i}]`);
      });
    },
  },
  column: {
    props: ['width', 'weight', 'direction', 'padding', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align', 'background_style', 'action', 'elements'],
    check(el, at) {
      if (el.width !== undefined && !['auto', 'weighted'].includes(el.width as string) && !pxIn(el.width, 16, 600)) at.problem(`invalid value of width: ${JSON.stringify(el.width)}`, 200621);
      if (el.weight !== undefined && !(Number.isInteger(el.weight) && (el.weight as number) >= 1 && (el.weight as number) <= 5)) at.problem('weight must be an integer 1–5', 200621);
      for (const k of ['horizontal_spacing', 'vertical_spacing']) if (el[k] !== undefined && !spacing(el[k])) at.problem(`invalid value of ${k}`, 200621);
      enumCheck(el, 'horizontal_align', ALIGN, at);
      enumCheck(el, 'vertical_align', V_ALIGN, at);
      enumCheck(el, 'direction', ['vertical', 'horizontal'], at);
      if (el.elements !== undefined && !Array.isArray(el.elements)) return at.problem('elements must be an array', 200621);
      ((el.elements as unknown[]) ?? []).forEach((c, i) => at.child(c, `elements[${i}]`, { inColumn: true }));
    },
  },
  form: {
    props: ['name', 'elements', 'direction', 'padding', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align'],
    required: ['name', 'elements'],
    check(el, at) {
      if (!at.atRoot) at.problem('type of element is not supported tag: form', 200621);
      if (typeof el.name !== 'string' || !el.name) at.problem('a form needs a name', 200621);
      if (!Array.isArray(el.elements)) return at.problem('elements must be an array', 200621);
      const submits = collect(el.elements, (x) => x.tag === 'button' && x.form_action_type === 'submit');
      if (submits.length === 0) at.problem('there is no submit button in the form container, at least one', 300123);
      el.elements.forEach((c, i) => at.child(c, `elements[${i}]`, { inForm: true }));
    },
  },
  input: {
    props: ['name', 'required', 'disabled', 'disabled_tips', 'placeholder', 'default_value', 'i18n_default_value', 'width', 'behaviors', 'max_length', 'input_type', 'show_icon', 'rows', 'auto_resize', 'max_rows', 'label', 'label_position', 'confirm', 'value'],
    check(el, at) {
      enumCheck(el, 'input_type', ['text', 'multiline_text', 'password'], at);
      enumCheck(el, 'label_position', ['top', 'left'], at);
      if (el.max_length !== undefined && !(Number.isInteger(el.max_length) && (el.max_length as number) >= 1 && (el.max_length as number) <= 1000)) at.problem('max_length must be 1–1000', 200621);
      if (el.default_value !== undefined && typeof el.default_value !== 'string') at.problem('default_value must be a string', 200621);
      at.text(el.placeholder, 'placeholder', { maxChars: 100, tags: ['plain_text'] });
      at.text(el.label, 'label');
      at.text(el.disabled_tips, 'disabled_tips');
      confirmCheck(el, at);
      behaviorsCheck(el, at, false);
    },
  },
  select_static: {
    props: ['type', 'name', 'required', 'disabled', 'initial_option', 'initial_index', 'placeholder', 'width', 'behaviors', 'options', 'confirm'],
    required: ['options'],
    check(el, at) {
      enumCheck(el, 'type', ['default', 'text'], at);
      at.text(el.placeholder, 'placeholder', { maxChars: 100, tags: ['plain_text'] });
      confirmCheck(el, at);
      behaviorsCheck(el, at, false);
      if (!Array.isArray(el.options)) return at.problem('options must be an array', 200621);
      if (el.options.length === 0) at.problem('options of select_static must not be empty', 200621);
      const values = new Set<string>();
      el.options.forEach((o, i) => {
        const p = `${at.path} -> options[${i}]`;
        if (!isObj(o)) return at.problem('an option must be an object', 200621, p);
        for (const k of Object.keys(o)) if (!['text', 'icon', 'value'].includes(k)) at.problem(`unknown property, property: ${k}`, 200621, p);
        if (o.text === undefined || typeof o.value !== 'string' || o.value === '') at.problem('an option needs text and a value', 200621, p);
        at.text(o.text, `options[${i}] -> text`);
        if (typeof o.value === 'string') {
          if (values.has(o.value)) at.problem(`option values must be unique: ${o.value}`, 200621, p);
          values.add(o.value);
        }
      });
    },
  },
  chart: {
    props: ['aspect_ratio', 'color_theme', 'chart_spec', 'preview', 'height'],
    required: ['chart_spec'],
    check(el, at) {
      enumCheck(el, 'aspect_ratio', ['1:1', '2:1', '4:3', '16:9'], at);
      enumCheck(el, 'color_theme', ['brand', 'rainbow', 'complementary', 'converse', 'primary'], at);
      if (el.height !== undefined && el.height !== 'auto' && !pxIn(el.height, 1, 999)) at.problem('height must be auto or 1–999px', 200621);
      if (!isObj(el.chart_spec) || typeof el.chart_spec.type !== 'string') at.problem('chart spec is invalid', 200550);
    },
  },
};

function collect(elements: unknown, pred: (el: Obj) => boolean): Obj[] {
  const out: Obj[] = [];
  const walk = (v: unknown, key?: string) => {
    if (key === 'chart_spec' || key === 'behaviors') return;
    if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (isObj(v)) {
      if (pred(v)) out.push(v);
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(elements);
  return out;
}

/** Components and text elements, counted as the rules count them (chart specs and behaviour values hold none). */
export function countCardElements(card: unknown): number {
  return collect(card, (o) => typeof o.tag === 'string').length;
}

/** Only these HTML tags are allowed in 2.0 markdown; `<at id=all>` needs the group owner's permission (assumed not given). */
const MD_TAGS = new Set(['br', 'hr', 'person', 'local_datetime', 'at', 'a', 'text_tag', 'raw', 'link', 'font', 'number_tag']);

function markdownCheck(content: string, at: Walk): void {
  for (const m of content.matchAll(/<\/?([A-Za-z_][\w-]*)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    if (!MD_TAGS.has(tag)) at.problem(`unsupported HTML tag in markdown: <${tag}>`, 200621);
    if (tag === 'at' && !m[0].startsWith('</')) {
      const attrs = m[2]!;
      const ids = /\bids?\s*=\s*['"]?([^'"\s>]+)/.exec(attrs)?.[1];
      const email = /\bemail\s*=/.test(attrs);
      if (!ids && !email) at.problem('an <at> needs id, ids or email', 100290);
      for (const id of (ids ?? '').split(',').filter(Boolean)) {
        if (id === 'all') at.problem('<at id=all> needs the group owner’s permission: the card fails to send', 100290);
        else if (!/^ou_[A-Za-z0-9_-]+$/.test(id)) at.problem(`invalid user in <at>: ${id}`, 100290);
      }
    }
  }
}

function propsCheck(el: Obj, allowed: string[], at: Walk): void {
  for (const k of Object.keys(el)) {
    if (!COMMON.includes(k) && !allowed.includes(k)) at.problem(`unknown property, property: ${k}`, 200621);
  }
}

/** The tag named last in a path: `… -> columns[0](tag: column)` → column. */
const currentTag = (path: string) => /\(tag: ([^)]*)\)$/.exec(path)?.[1] ?? '';

function makeWalk(problems: CardProblem[], state: { tables: number; names: Map<string, string> }) {
  const build = (path: string, parent: string, depth: number, inForm: boolean, inColumn: boolean, atRoot: boolean): Walk => {
    const at: Walk = {
      path, parent, depth, inForm, inColumn, atRoot,
      problem(message, sub, p) {
        problems.push({ code: sub === 300123 ? 300123 : 230099, sub, path: p ?? path, message });
      },
      child(el, segment, opts = {}) {
        if (!isObj(el)) return at.problem('an element must be an object', 200621, `${path} -> ${segment}`);
        const tag = typeof el.tag === 'string' ? el.tag : '';
        const childPath = `${path} -> ${segment}(tag: ${tag || '?'})`;
        const nextDepth = tag === 'column' ? depth : depth + 1;
        const w = build(childPath, currentTag(path), nextDepth, opts.inForm ?? inForm, opts.inColumn ?? inColumn, false);
        component(el, w);
      },
      text(t, segment, opts = {}) {
        if (t === undefined) return;
        const p = `${path} -> ${segment}`;
        if (!isObj(t)) return at.problem('a text element must be an object', 200621, p);
        const tag = String(t.tag ?? '');
        if (!TEXT_TAGS.has(tag)) return at.problem(`invalid text tag: ${JSON.stringify(t.tag)}`, 200621, p);
        if (opts.tags && !opts.tags.includes(tag)) at.problem(`text must be ${opts.tags.join(' or ')}`, 200621, p);
        for (const k of Object.keys(t)) if (!TEXT_PROPS.includes(k)) at.problem(`unknown property, property: ${k}`, 200621, `${p}(tag: ${tag})`);
        if (typeof t.content !== 'string') at.problem('text content must be a string', 200621, p);
        else if (opts.maxChars && [...t.content].length > opts.maxChars) at.problem(`text longer than ${opts.maxChars} characters`, 200621, p);
      },
    };
    return at;
  };

  function component(el: Obj, at: Walk): void {
    const tag = typeof el.tag === 'string' ? el.tag : '';
    if (at.depth > MAX_NESTING) at.problem(`nesting deeper than ${MAX_NESTING} levels`, 200621);
    if (V1_ONLY.has(tag)) return at.problem(`cards of schema V2 no longer support this capability; ErrorValue: unsupported tag ${tag}`, 200861);
    if (tag === 'column' && at.parent !== 'column_set') return at.problem('a column may sit only in a column_set', 200621);
    if ((tag === 'form' || tag === 'table') && (at.inColumn || at.inForm)) return at.problem(`type of element is not supported tag: ${tag}`, 200621);
    if (tag === 'table') {
      if (!at.atRoot) at.problem('a table may sit only at the card root', 200621);
      if (++state.tables > CARD_MAX_TABLES) at.problem('card table number over limit', 11310);
      return;
    }
    if (at.inForm && INTERACTIVE.has(tag)) {
      const name = el.name;
      if (typeof name !== 'string' || name === '') at.problem('a form field has an empty name', 200530);
    }
    if (typeof el.name === 'string' && el.name && INTERACTIVE.has(tag)) {
      const seen = state.names.get(el.name);
      if (seen) at.problem(`name ${el.name} is used twice in the card (also at ${seen})`, 200621);
      state.names.set(el.name, at.path);
    }
    const spec = COMPONENTS[tag];
    if (!spec) {
      if (OTHER_V2_TAGS.has(tag)) return;
      return at.problem(`unknown tag: ${JSON.stringify(el.tag)}`, 200621);
    }
    propsCheck(el, spec.props, at);
    for (const r of spec.required ?? []) if (el[r] === undefined) at.problem(`missing required property ${r}`, 200621);
    spec.check?.(el, at);
  }

  return { build, component };
}

function headerCheck(header: unknown, problems: CardProblem[]): void {
  const path = 'ROOT -> header';
  const p = (message: string, sub = 200621, at = path): void => void problems.push({ code: 230099, sub, path: at, message });
  if (!isObj(header)) return p('header must be an object');
  const allowed = ['title', 'subtitle', 'text_tag_list', 'i18n_text_tag_list', 'template', 'icon', 'padding'];
  for (const k of Object.keys(header)) if (!allowed.includes(k)) p(`unknown property, property: ${k}`);
  if (header.title === undefined) p('header needs a title');
  for (const key of ['title', 'subtitle']) {
    const t = header[key];
    if (t === undefined) continue;
    if (!isObj(t) || !TEXT_TAGS.has(String(t.tag)) || typeof t.content !== 'string') p(`${key} must be plain_text or lark_md`, 200621, `${path} -> ${key}`);
    else for (const k of Object.keys(t)) if (!TEXT_PROPS.includes(k)) p(`unknown property, property: ${k}`, 200621, `${path} -> ${key}`);
  }
  if (header.template !== undefined && !TEMPLATES.includes(header.template as string)) p(`invalid value of template: ${JSON.stringify(header.template)}`);
  if (Array.isArray(header.text_tag_list) && header.text_tag_list.length > 3) p('at most 3 tags in a header');
}

const CONFIG_KEYS = ['streaming_mode', 'streaming_config', 'summary', 'locales', 'enable_forward', 'update_multi', 'width_mode', 'use_custom_translation', 'enable_forward_interaction', 'style', 'wide_screen_mode'];

function configCheck(config: unknown, problems: CardProblem[]): void {
  const path = 'ROOT -> config';
  const p = (message: string): void => void problems.push({ code: 230099, sub: 200621, path, message });
  if (!isObj(config)) return p('config must be an object');
  for (const k of Object.keys(config)) if (!CONFIG_KEYS.includes(k)) p(`unknown property, property: ${k}`);
  if (config.update_multi !== undefined && config.update_multi !== true) p('update_multi must be true in schema 2.0');
  if (config.width_mode !== undefined && !['default', 'compact', 'fill'].includes(config.width_mode as string)) p('invalid value of width_mode');
  if (config.summary !== undefined) {
    if (!isObj(config.summary) || Object.keys(config.summary).some((k) => !['content', 'i18n_content'].includes(k))) p('summary takes content and i18n_content');
    else if (config.summary.content !== undefined && typeof config.summary.content !== 'string') p('summary content must be a string');
  }
  if (config.style !== undefined && !(isObj(config.style) && Object.keys(config.style).every((k) => ['text_size', 'color'].includes(k)))) p('style takes text_size and color');
}

const BODY_KEYS = ['elements', 'direction', 'padding', 'horizontal_spacing', 'horizontal_align', 'vertical_spacing', 'vertical_align'];

/** Every problem real Lark would refuse this card for (send, reply, PATCH, delayed update, callback answer). */
export function checkCard(card: unknown): CardProblem[] {
  const problems: CardProblem[] = [];
  if (!isObj(card)) return [{ code: 230099, sub: 200621, path: 'ROOT', message: 'parse card json err: not an object' }];
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  if (bytes > CARD_MAX_BYTES) problems.push({ code: 230025, path: 'ROOT', message: `card content is ${bytes} bytes, over 30 KB` });
  if (card.schema !== '2.0') problems.push({ code: 230099, sub: 200621, path: 'ROOT', message: 'schema "2.0" must be declared' });
  for (const k of Object.keys(card)) {
    if (['schema', 'config', 'card_link', 'header', 'body', 'fallback', 'i18n_header'].includes(k)) continue;
    problems.push({ code: 230099, sub: k === 'i18n_elements' ? 200861 : 200621, path: 'ROOT', message: `unknown property, property: ${k}` });
  }
  if (card.config !== undefined) configCheck(card.config, problems);
  if (card.header !== undefined) headerCheck(card.header, problems);
  const state = { tables: 0, names: new Map<string, string>() };
  const { build, component } = makeWalk(problems, state);
  if (card.body !== undefined) {
    if (!isObj(card.body)) problems.push({ code: 230099, sub: 200621, path: 'ROOT -> body', message: 'body must be an object' });
    else {
      for (const k of Object.keys(card.body)) if (!BODY_KEYS.includes(k)) problems.push({ code: 230099, sub: 200621, path: 'ROOT -> body', message: `unknown property, property: ${k}` });
      const elements = card.body.elements;
      if (elements !== undefined && !Array.isArray(elements)) problems.push({ code: 230099, sub: 200621, path: 'ROOT -> body', message: 'elements must be an array' });
      const root = build('ROOT -> body', '', 0, false, false, true);
      ((elements as unknown[] | undefined) ?? []).forEach((el, i) => {
        if (!isObj(el)) return root.problem('an element must be an object', 200621, `ROOT -> body -> elements[${i}]`);
        component(el, build(`ROOT -> body -> elements[${i}](tag: ${String(el.tag ?? '?')})`, '', 1, false, false, true));
      });
    }
  }
  const n = countCardElements(card);
  if (n > CARD_MAX_ELEMENTS) problems.push({ code: 230099, sub: 11310, path: 'ROOT', message: `element exceeds the limit (${n} > ${CARD_MAX_ELEMENTS})` });
  return problems;
}

/** Lark's HTTP answer refusing a card, or null when the card is accepted. */
export function larkRefusal(card: unknown): { status: number; body: { code: number; msg: string; data: Record<string, never> } } | null {
  const problems = checkCard(card);
  if (!problems.length) return null;
  const p = problems.find((x) => x.code === 230025) ?? problems[0]!;
  if (p.code === 230025) return { status: 400, body: { code: 230025, msg: 'The message you sent is too long, please reduce the length of the message.', data: {} } };
  if (p.code !== 230099) return { status: 400, body: { code: p.code, msg: p.message, data: {} } };
  return { status: 400, body: { code: 230099, msg: `Failed to create card content, ext=ErrCode: ${p.sub}; ErrPath: ${p.path}; ErrMsg: ${p.message}; `, data: {} } };
}

/**
 * What a card callback may be answered with (卡片回传交互回调): `{}`, `{toast}`, and `card` only as
 * `{type: "raw", data: <2.0 card>}` or `{type: "template", data: {template_id, …}}`. Client errors: 200672 bad
 * response format, 200673 bad card, 200830 a 2.0 card replaced by a 1.0 card.
 */
export function checkCallbackAnswer(answer: unknown): CardProblem[] {
  const problems: CardProblem[] = [];
  const p = (code: number, message: string, path = 'ROOT') => problems.push({ code, path, message });
  if (!isObj(answer)) {
    p(200672, 'bad response format: the answer is not a JSON object');
    return problems;
  }
  for (const k of Object.keys(answer)) if (!['toast', 'card'].includes(k)) p(200672, `bad response format: unknown field ${k}`);
  if (answer.toast !== undefined) {
    const t = answer.toast;
    if (!isObj(t)) p(200672, 'toast must be an object', 'ROOT -> toast');
    else {
      for (const k of Object.keys(t)) if (!['type', 'content', 'i18n'].includes(k)) p(200672, `unknown toast field ${k}`, 'ROOT -> toast');
      if (t.type !== undefined && !TOAST_TYPES.includes(t.type as string)) p(200672, `toast type must be one of ${TOAST_TYPES.join(', ')}`, 'ROOT -> toast');
      if (typeof t.content !== 'string' || !t.content) p(200672, 'toast needs content', 'ROOT -> toast');
    }
  }
  if (answer.card !== undefined) {
    const c = answer.card;
    if (!isObj(c) || (c.type !== 'raw' && c.type !== 'template') || !isObj(c.data)) {
      p(200672, 'card must be {"type":"raw","data":<card JSON>} or {"type":"template","data":{…}}', 'ROOT -> card');
    } else {
      for (const k of Object.keys(c)) if (!['type', 'data'].includes(k)) p(200672, `unknown card field ${k}`, 'ROOT -> card');
      if (c.type === 'template') {
        if (typeof c.data.template_id !== 'string') p(200672, 'a template card needs template_id', 'ROOT -> card -> data');
      } else {
        if (c.data.schema !== '2.0') p(200830, 'a 2.0 card cannot be replaced by a 1.0 card', 'ROOT -> card -> data');
        for (const x of checkCard(c.data)) problems.push({ ...x, code: 200673, message: `bad card: ${x.code}${x.sub ? `/${x.sub}` : ''} ${x.message}` });
      }
    }
  }
  return problems;
}

/** One readable line per problem, for error messages in tests. */
export function describeProblems(problems: CardProblem[]): string {
  return problems.map((p) => `${p.code}${p.sub ? `/${p.sub}` : ''} at ${p.path}: ${p.message}`).join('\n');
}
