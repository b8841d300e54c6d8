import fs from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Where log lines go: kept in memory and written with one write(2) per batch, so a line costs no system call
 * on the request path. Unlike an asynchronous stream, every write is synchronous: `flushSync()` at the moment an
 * event is acknowledged puts everything logged so far in the kernel's hands, where `kill -9` cannot lose it,
 * and lines never overtake each other. Lines nobody flushes go out after `maxDelayMs`, or at `maxBytes`.
 */
export class BatchedLogSink {
  private chunks: string[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly fd = 2,
    private readonly maxBytes = 16 * 1024,
    private readonly maxDelayMs = 100,
  ) {
    process.once('exit', () => this.flushSync());
  }

  write(chunk: string): boolean {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= this.maxBytes) this.flushSync();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flushSync(), this.maxDelayMs);
      this.timer.unref();
    }
    return true;
  }

  flushSync(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.size === 0) return;
    let data = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.size = 0;
    for (let tries = 0; data.length > 0 && tries < 1000; ) {
      try {
        data = data.subarray(fs.writeSync(this.fd, data));
      } catch (err) {
        // A non-blocking pipe that is full: wait a moment for the reader. Anything else: the lines are dropped.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        tries++;
        Atomics.wait(sleeper, 0, 0, 1);
      }
    }
  }
}
