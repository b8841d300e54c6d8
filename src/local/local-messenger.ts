import fs from 'node:fs';
import path from 'node:path';
import type { OutboxMessageRow } from '../db/schema.ts';
import type { Delivery, Messenger } from '../outbox/messenger.ts';
import { type LocalButton, renderCard } from './render-card.ts';

/** The terminal stand-in for Lark: prints what the bot sends and remembers the buttons it showed. */
export class LocalMessenger implements Messenger {
  readonly buttons = new Map<number, LocalButton & { messageId: string; chatId: string }>();
  private nextMessage = 1;
  // Message ids stay unique across runs on the same database, as Lark's are.
  private readonly session = Date.now().toString(36);
  constructor(
    private readonly print: (line: string) => void,
    private readonly chatName: (chatOrUser: string) => string,
    /** Where files the bot sends are saved, so they can be opened (none = not saved). */
    private readonly filesDir?: string,
  ) {}

  async deliver(row: OutboxMessageRow): Promise<Delivery> {
    if (row.op === 'urgent_app') {
      const users = (JSON.parse(row.content) as { user_id_list?: string[] }).user_id_list ?? [];
      this.print(`🤖 ［${this.chatName(row.pace_key)}］（加急）已把报送提醒加急给：${users.map((u) => `@${this.chatName(u)}`).join(' ')}`);
      return {};
    }
    const messageId = row.op === 'patch' ? row.target : `om_local_out_${this.session}_${this.nextMessage++}`;
    const where = row.op === 'reply' ? '' : `［${this.chatName(row.pace_key)}］`;
    let body: string;
    if (row.msg_type === 'text') {
      body = String((JSON.parse(row.content) as { text?: string }).text ?? '').replace(/<at user_id="([^"]+)">([^<]*)<\/at>/g, (_m, id: string, name: string) => `@${this.chatName(id) === id ? name : this.chatName(id)}`);
    } else if (row.msg_type === 'interactive') {
      body = renderCard(JSON.parse(row.content) as Record<string, unknown>, (b) => {
        // Buttons of a card re-drawn after a press are numbered by the session too: never reuse a number.
        const n = Math.max(0, ...this.buttons.keys()) + 1;
        this.buttons.set(n, { ...b, messageId, chatId: row.pace_key });
        return n;
      });
      if (row.op === 'patch') body = `（卡片已更新）\n${body}`;
    } else {
      body = `（文件）${row.file_name ?? ''}，${row.file_data?.length ?? 0} 字节`;
      if (this.filesDir && row.file_data && row.file_name) {
        fs.mkdirSync(this.filesDir, { recursive: true });
        const file = path.join(this.filesDir, path.basename(row.file_name));
        fs.writeFileSync(file, row.file_data);
        body += `，已保存到 ${file}`;
      }
    }
    // Card mentions render as the open_id; show the local person's name instead.
    body = body.replace(/@(ou_[A-Za-z0-9_]+)/g, (_m, id: string) => `@${this.chatName(id)}`);
    this.print(`🤖 ${where}${body}`);
    return { messageId };
  }
}
