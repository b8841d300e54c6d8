/**
 * Sliding-window pacing: at most `perKey` sends to one chat or person and `total` sends overall in any window.
 * Lark allows 5/s per chat and 50/s per app; the window is judged on the bot's clock.
 */
export class Pacer {
  private readonly byKey = new Map<string, number[]>();
  private readonly all: number[] = [];

  constructor(
    private readonly perKey = 5,
    private readonly total = 50,
    private readonly windowMs = 1000,
  ) {}

  private prune(list: number[], now: number): void {
    while (list.length && list[0]! <= now - this.windowMs) list.shift();
  }

  /** Milliseconds until a send to `key` is allowed (0 = now). */
  waitMs(key: string, now: number): number {
    const list = this.byKey.get(key) ?? [];
    this.prune(list, now);
    this.prune(this.all, now);
    let wait = 0;
    if (list.length >= this.perKey) wait = Math.max(wait, list[list.length - this.perKey]! + this.windowMs - now);
    if (this.all.length >= this.total) wait = Math.max(wait, this.all[this.all.length - this.total]! + this.windowMs - now);
    return wait;
  }

  record(key: string, now: number): void {
    const list = this.byKey.get(key) ?? [];
    list.push(now);
    this.byKey.set(key, list);
    this.all.push(now);
  }
}
