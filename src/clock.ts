/** Every notion of "now" in the bot comes from a Clock, so tests and demos can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and runs forward with real time (BOT_NOW, local `/time`). */
export class OffsetClock implements Clock {
  private offsetMs: number;
  constructor(start?: Date, private readonly base: Clock = systemClock) {
    this.offsetMs = start ? start.getTime() - base.now().getTime() : 0;
  }
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  set(to: Date): void {
    this.offsetMs = to.getTime() - this.base.now().getTime();
  }
}

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  private ms: number;
  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.ms);
  }
  set(to: Date | string): void {
    this.ms = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}
