import type { Runtime } from '../src/runtime.ts';
import type { Figure } from './steps.ts';

/**
 * The 调度表 at city scale: builds the whole workbook (all compounds, both sheets) for the current period.
 *
 * PLUG POINT. The workbook lives in src/report/ (written on another branch): `renderReportFile(db, campaign,
 * calendar, due, now)` in src/report/file.ts loads the rows and calls `buildReportWorkbook` from
 * src/report/workbook.ts. This step imports it when it is there; until then it reports "not available".
 */
export async function benchReportWorkbook(runtime: Runtime, now: Date): Promise<{ figures: Figure[]; lines: string[] }> {
  const target = '< 3 s';
  const name = '调度表 workbook at city scale';
  let mod: { renderReportFile?: (...a: unknown[]) => Promise<{ data: Buffer; fileName: string }> };
  try {
    mod = (await import(new URL('../src/report/file.ts', import.meta.url).href)) as typeof mod;
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    return { figures: [{ name, value: missing ? 'not available (src/report/file.ts is not on this branch)' : `failed: ${(err as Error).message}`, target, met: null }], lines: [] };
  }
  if (!mod.renderReportFile) return { figures: [{ name, value: 'not available (no renderReportFile export)', target, met: null }], lines: [] };
  const { db, campaign, calendar } = runtime.deps;
  const times: number[] = [];
  let size = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const file = await mod.renderReportFile(db, campaign, calendar, null, now);
    times.push(performance.now() - t);
    size = file.data.length;
  }
  const best = Math.min(...times);
  const worst = Math.max(...times);
  return {
    lines: [`调度表 (city):       ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(', ')} over 3 runs; ${(size / 1024).toFixed(0)} KB`],
    figures: [{ name, value: `${(worst / 1000).toFixed(2)} s (best ${(best / 1000).toFixed(2)} s)`, target, met: worst < 3000 }],
  };
}
