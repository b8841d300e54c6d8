/** Renders Card JSON 2.0 as plain text for the terminal, numbering its buttons so they can be pressed. */

export interface LocalButton {
  label: string;
  value: Record<string, unknown>;
  /** For a form's submit button: the form's field names. */
  fields: string[];
}

type El = Record<string, unknown>;

function text(t: unknown): string {
  if (!t || typeof t !== 'object') return typeof t === 'string' ? t : '';
  return String((t as { content?: unknown }).content ?? '');
}

function stripMarkdown(s: string): string {
  return s
    .replace(/<font[^>]*>(.*?)<\/font>/g, '$1')
    .replace(/<at id=([^>]+)><\/at>/g, '@$1')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

export function renderCard(card: Record<string, unknown>, addButton: (b: LocalButton) => number): string {
  const out: string[] = [];
  const header = card.header as El | undefined;
  if (header) out.push(`【${text(header.title)}】${header.subtitle ? ` ${text(header.subtitle)}` : ''}`);
  const body = (card.body as El | undefined)?.elements ?? (card.elements as unknown);
  let charts = 0;
  const walk = (elements: unknown, formFields?: string[]) => {
    if (!Array.isArray(elements)) return;
    for (const raw of elements) {
      const el = raw as El;
      switch (el.tag) {
        case 'markdown':
          out.push(stripMarkdown(String(el.content ?? '')));
          break;
        case 'div':
          out.push(stripMarkdown(text(el.text)));
          break;
        case 'hr':
          out.push('────────');
          break;
        case 'column_set':
          for (const col of (el.columns as El[] | undefined) ?? []) walk(col.elements, formFields);
          break;
        case 'form': {
          const names = ((el.elements as El[] | undefined) ?? []).filter((e) => e.tag !== 'button').map((e) => String(e.name));
          walk(el.elements, names);
          break;
        }
        case 'input':
          out.push(`  · ${text(el.label) || String(el.name)}（字段 ${String(el.name)}${el.default_value ? `，当前：${String(el.default_value)}` : ''}）`);
          break;
        case 'select_static': {
          const opts = ((el.options as El[] | undefined) ?? []).map((o) => `${String(o.value)}=${text(o.text)}`).join(' ');
          out.push(`  · ${text(el.placeholder) || String(el.name)}（字段 ${String(el.name)}：${opts}）`);
          break;
        }
        case 'button': {
          const behaviors = (el.behaviors as El[] | undefined) ?? [];
          const value = (behaviors.find((b) => b.type === 'callback')?.value as Record<string, unknown> | undefined) ?? (el.value as Record<string, unknown> | undefined) ?? {};
          const n = addButton({ label: text(el.text), value, fields: formFields ?? [] });
          const hint = formFields?.length ? `（输入 ${n} 字段=值 … 提交）` : '';
          out.push(`  [${n}] ${text(el.text)}${hint}`);
          break;
        }
        case 'chart':
          // One note for all the charts of a card, where the first one stands.
          if (charts++ === 0) out.push('  （图表：请在飞书中查看）');
          break;
        default:
          if (el.elements) walk(el.elements, formFields);
      }
    }
  };
  walk(body);
  return out.join('\n');
}
