/** Platform-neutral shapes: what the Lark edge and the local terminal both turn their input into. */

export interface Mention {
  /** The placeholder in the text, e.g. `@_user_2`. */
  key: string;
  openId: string;
  name: string;
}

export interface IncomingMessage {
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'p2p' | 'group';
  chatName?: string | null;
  senderOpenId: string;
  senderName?: string | null;
  /** The text with the bot's own mention removed; other mentions stay as their placeholders. */
  text: string;
  mentions: Mention[];
  mentionedBot: boolean;
  parentId: string | null;
  /** ISO instant the message was sent. */
  sentAt: string;
  /** What kind of content the message carried, when it is not text the bot reads (an image, a file, …). */
  unsupported?: UnsupportedContent | null;
  /** Sent by the bot itself (its own open_id): never answered. */
  fromSelf?: boolean;
}

/** Message contents the bot cannot read; it says so politely and writes nothing. */
export type UnsupportedContent = 'image' | 'file' | 'audio' | 'media' | 'sticker' | 'other';

export interface CardAction {
  eventId: string;
  operatorOpenId: string;
  operatorName?: string | null;
  value: Record<string, unknown>;
  formValue: Record<string, unknown> | null;
  messageId: string | null;
  chatId: string | null;
  chatType?: 'p2p' | 'group' | null;
  /** Lark's callback token for a delayed card update. */
  token: string | null;
}

export type OutgoingContent =
  | { type: 'text'; text: string }
  | { type: 'card'; card: Record<string, unknown> }
  | { type: 'file'; fileName: string; data: Buffer };

export interface CardResponse {
  toast?: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: Record<string, unknown>;
}
