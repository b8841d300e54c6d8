import type { Runtime } from '../src/runtime.ts';
import { renderReportFile } from '../src/report/file.ts';
import type { Figure } from './steps.ts';

/**
 * The 调度表 at one scale: the whole workbook (every compound, every sheet) for the current period, as chat, HTTP
 * and the CLI build it. The heap is sampled every 5 ms while it is built (the writer streams, so the event loop
 * turns); the peak is printed beside the time.
 */
export async function benchReportWorkbook(runtime: Runtime, now: Date, label: string, budgetMs: number, runs = 2): Promise<{ figures: Figure[]; lines: string[] }> {
  const { db, campaign, calendar } = runtime.deps;
  const times: number[] = [];
  let size = 0;
  let rows = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  try {
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const file = await renderReportFile(db, campaign, calendar, null, now);
      times.push(performance.now() - t);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      size = file.data.length;
      rows = file.view.rows.length;
    }
  } finally {
    clearInterval(sampler);
  }
  const worst = Math.max(...times);
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  return {
    lines: [`调度表 (${label}):`.padEnd(20) + `${rows} rows; ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} over ${runs} runs; ${(size / 1024).toFixed(0)} KB; heap ${mb(heapBefore)} before, peak ${mb(peak)} (sampled)`],
    figures: [
      { name: `调度表 (${label})`, value: `${(worst / 1000).toFixed(2)} s, heap peak ${mb(peak)}`, target: `< ${budgetMs / 1000} s`, met: worst < budgetMs, baseline: `${(worst * 1000 / Math.max(1, rows)).toFixed(0)} µs/row` },
    ],
  };
}
