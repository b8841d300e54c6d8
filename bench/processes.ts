import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../test/support/wait.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** An entry point run as one node process (by default TypeScript through `node --import tsx`), so its pid is the server's pid. */
export class ServerProcess {
  private constructor(readonly proc: ChildProcess, readonly base: string) {}

  /** Starts `entry` on a free port; its output goes to `logFile` (the bot logs every event at info level). */
  static async start(entry: string, env: Record<string, string>, logFile: string, readyPath = '/', nodeArgs: string[] = ['--import', 'tsx']): Promise<ServerProcess> {
    const port = await freePort();
    const log = fs.openSync(logFile, 'a');
    const proc = spawn(process.execPath, [...nodeArgs, entry], {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...env, PORT: String(port) },
    });
    fs.closeSync(log);
    const s = new ServerProcess(proc, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`${entry} exited with ${proc.exitCode}`);
      try {
        const res = await fetch(`${s.base}${readyPath}`);
        if (res.status < 500) return s;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${entry} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resident set size now and at its peak, in MB (Linux /proc). */
  memory(): { rssMb: number; peakMb: number } | null {
    try {
      const status = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
    } catch {
      return null;
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
