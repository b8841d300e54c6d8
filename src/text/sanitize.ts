/**
 * Control and direction characters never reach the bot's data or its messages: stripped at the edge (incoming
 * text, mention names, card form values). Terminal escape sequences go whole, not just their ESC.
 */

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-character escapes, and the 8-bit CSI.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls except tab and newline, DEL, C1 controls.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Bidi marks, embeddings, overrides and isolates; the BOM; the private-use marks the bot uses for its own mentions.
const INVISIBLE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ue000-\ue002]/g;

export function stripControls(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(ESCAPES, '')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '');
}

/** The same for every string inside a value (card form values are objects and arrays of strings). */
export function stripControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return stripControls(value) as T;
  if (Array.isArray(value)) return value.map(stripControlsDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripControls(k), stripControlsDeep(v)])) as T;
  }
  return value;
}
