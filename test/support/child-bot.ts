import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { ADMIN } from './harness.ts';
import { APP_ID, ENCRYPT_KEY, VERIFICATION_TOKEN } from './lark-events.ts';
import { until } from './wait.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
export const CHILD_APP_SECRET = 'child-app-secret-7f3a9c';

export interface ChildBotOptions {
  larkDomain: string;
  dbPath: string;
  port: number;
  botNow?: Date;
  env?: Record<string, string>;
  /** What to run instead of `tsx src/main.ts` (e.g. `node dist/coverage-bot.mjs`, the bundled build). */
  command?: string[];
}

/**
 * The real bot as its own process (`tsx src/main.ts`, Lark mode). It runs in its own process group so that
 * `kill(-pid, SIGKILL)` takes down tsx and the node process it starts together, as `kill -9` of the service would.
 */
export class ChildBot {
  readonly output: string[] = [];
  private exited: Promise<number | null>;
  private alive = true;

  private constructor(readonly proc: ChildProcess, readonly base: string) {
    proc.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.exited = new Promise((resolve) => proc.once('exit', (code) => {
      this.alive = false;
      resolve(code);
    }));
  }

  static start(o: ChildBotOptions): ChildBot {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LARK_|API_TOKEN|BOT_NOW|ADMIN_OPEN_IDS|DB_PATH|DATABASE_URL|PORT|CAMPAIGN_FILE|TEST_DB)/.test(k)));
    const [file, ...args] = o.command ?? [TSX, 'src/main.ts'];
    const proc = spawn(file!, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...clean,
        LARK_APP_ID: APP_ID,
        LARK_APP_SECRET: CHILD_APP_SECRET,
        LARK_ENCRYPT_KEY: ENCRYPT_KEY,
        LARK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        LARK_DOMAIN: o.larkDomain,
        DB_PATH: o.dbPath,
        PORT: String(o.port),
        ADMIN_OPEN_IDS: ADMIN,
        LOG_LEVEL: 'warn',
        ...(o.botNow ? { BOT_NOW: o.botNow.toISOString() } : {}),
        ...o.env,
      },
    });
    return new ChildBot(proc, `http://127.0.0.1:${o.port}`);
  }

  get running(): boolean {
    return this.alive;
  }

  /** Resolves when GET /healthz answers 200; rejects if the process dies first or after `timeoutMs`. */
  async ready(timeoutMs = 30_000): Promise<void> {
    await until(async () => {
      if (!this.alive) throw new Error(`bot exited before it was ready:\n${this.output.join('')}`);
      try {
        return (await fetch(`${this.base}/healthz`)).status === 200;
      } catch {
        return false;
      }
    }, 'the bot to answer /healthz', timeoutMs, 25);
  }

  /** kill -9 of the whole process group; resolves once the bot process is gone. */
  async kill9(): Promise<void> {
    if (this.alive && this.proc.pid) {
      try {
        process.kill(-this.proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exited;
  }

  /** SIGTERM (the bot stops cleanly) and wait for the exit. */
  async stop(): Promise<void> {
    if (this.alive && this.proc.pid) {
      try {
        process.kill(-this.proc.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await this.exited;
  }
}
