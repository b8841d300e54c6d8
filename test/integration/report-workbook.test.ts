import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestBot, type TestBot } from '../support/harness.ts';
import { readSheets, recordTakeover, setAction } from '../support/report-fixtures.ts';
import { renderReportFile } from '../../src/report/file.ts';
import { loadCampaignFile } from '../../src/campaign/load.ts';
import { cliCommands } from '../../src/cli.ts';
import { openDatabase } from '../../src/db/connect.ts';

const HEADER = [
  '序号', '社区名称', '小区名称', '类别', '入驻物业管理企业名称', '物业管理性质（自主或外聘物业公司）',
  '入驻时间', '服务内容', '物业负责人', '联系电话', '备注',
];

/** The notice's order, from the campaign file: by community, 附件3 (upgrade) before 附件4 (coverage). */
function noticeOrder(): { community: string; name: string }[] {
  const def = loadCampaignFile();
  return def.communities.flatMap((c) =>
    (['upgrade', 'coverage'] as const).flatMap((track) => def.compounds.filter((x) => x.community === c.name && x.track === track)),
  );
}

describe('调度表 workbook', () => {
  let bot: TestBot;
  let tmp: string | null = null;
  beforeEach(async () => {
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00' });
  });
  afterEach(async () => {
    await bot.stop();
    await bot.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    tmp = null;
  });

  async function render(due: string | null) {
    const { db, deps } = bot.runtime;
    return renderReportFile(db, deps.campaign, deps.calendar, due, bot.clock.now());
  }

  it('has the title, the street, the exact header, 41 rows in the notice order, recorded values and the footnote', async () => {
    await recordTakeover(bot.db, '福源公寓', {
      company: '鑫安物业', nature: '外聘', startDate: '2020-09-20', services: ['保洁', '保安', '护绿'], manager: '王强', phone: '13905321234',
    }, new Date('2020-09-27T02:00:00Z'));
    await recordTakeover(bot.db, '鑫盛公寓（药材宿舍）', { nature: '自主', startDate: '2020-09-25', services: ['保洁'], manager: '刘敏', phone: '0632-8869917', remarks: '社区兜底' }, new Date('2020-09-27T03:00:00Z'));
    await bot.db.updateTable('compounds').set({ category: 2 }).where('name', '=', '福源公寓').execute();
    await setAction(bot.db, '梅花园', '环境卫生', '已完成', new Date('2020-09-27T04:00:00Z'));
    await setAction(bot.db, '梅花园', '车辆停放', '进行中', new Date('2020-09-27T04:00:00Z'));

    const file = await render('2020-10-01');
    expect(file.fileName).toBe('住宅小区物业管理全覆盖进展情况调度表-2020-10-01.xlsx');
    const { workbook, rows } = await readSheets(file.data);
    const sheet = rows('调度表');
    expect(sheet[0]![0]).toBe('住宅小区物业管理全覆盖进展情况调度表');
    expect(sheet[1]![0]).toBe('街道办事处：山城街道');
    expect(sheet[2]).toEqual(HEADER);

    const data = sheet.slice(3, 3 + 41);
    expect(data.map((r) => Number(r[0]))).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect(data.map((r) => ({ community: r[1], name: r[2] }))).toEqual(noticeOrder().map((c) => ({ community: c.community, name: c.name })));
    expect(data[0]!.slice(1, 3)).toEqual(['梅园社区', '梅花园']);
    expect(data[2]!.slice(1, 3)).toEqual(['梅园社区', '四十中宿舍']);
    expect(data[40]!.slice(1, 3)).toEqual(['东、西鲁社区', '丰泽嘉苑']);

    const fuyuan = data.find((r) => r[2] === '福源公寓')!;
    expect(fuyuan).toEqual([fuyuan[0], '梅园社区', '福源公寓', '2', '鑫安物业', '外聘', '2020-09-20', '保洁、保安、护绿', '王强', '13905321234', '']);
    const yaocai = data.find((r) => r[2] === '鑫盛公寓（药材宿舍）')!;
    expect(yaocai.slice(4)).toEqual(['', '自主', '2020-09-25', '保洁', '刘敏', '0632-8869917', '社区兜底']);
    const ws = workbook.getWorksheet('调度表')!;
    const phoneCell = ws.getRow(3 + Number(fuyuan[0])).getCell(10);
    expect(typeof phoneCell.value).toBe('string');

    const others = data.filter((r) => r[2] !== '福源公寓' && r[2] !== '鑫盛公寓（药材宿舍）');
    expect(others).toHaveLength(39);
    const tracks = new Map(loadCampaignFile().compounds.map((c) => [c.name, c.track]));
    for (const r of others) {
      // 附件3 compounds already have a company: with none entered yet they read 物业信息未录入, not 未入驻.
      expect(r[10]).toBe(tracks.get(String(r[2])) === 'coverage' ? '未入驻' : '物业信息未录入');
      expect(r.slice(4, 10)).toEqual(['', '', '', '', '', '']);
    }
    const footnote = sheet[3 + 41]![0]!;
    expect(footnote.startsWith('注：1.根据小区实际情况')).toBe(true);
    expect(footnote).toContain('2.每月1号、15号报送至区住建局');

    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, paperSize: 9 });
    expect(ws.getColumn(3).width).toBeGreaterThan(10);
    expect(ws.getRow(4).getCell(1).border?.top?.style).toBe('thin');

    const actions = rows('攻坚行动');
    expect(actions[2]).toEqual(['序号', '社区名称', '小区名称', '环境卫生', '道路设施', '车辆停放', '服务质量', '完成情况']);
    const upgradeNames = noticeOrder().filter((c) => loadCampaignFile().compounds.find((x) => x.name === c.name)!.track === 'upgrade').map((c) => c.name);
    expect(actions.slice(3).map((r) => r[2])).toEqual(upgradeNames);
    expect(actions[3]!.slice(1)).toEqual(['梅园社区', '梅花园', '已完成', '未开始', '进行中', '未开始', '完成1/4项']);
  });

  it('leaves out a takeover whose start date is still ahead of the as-of date', async () => {
    await recordTakeover(bot.db, '建行宿舍', { company: '金盾物业', startDate: '2020-09-30' }, new Date('2020-09-28T00:30:00Z'));
    const { rows } = await readSheets((await render(null)).data);
    const row = rows('调度表').find((r) => r[2] === '建行宿舍')!;
    expect(row[4]).toBe('');
    expect(row[10]).toBe('未入驻');
  });

  it('is served by GET /api/v1/report.xlsx and written by the CLI, with the same content', async () => {
    await bot.stop();
    await bot.close();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-'));
    tmp = dir;
    const dbPath = path.join(dir, 'bot.db');
    bot = await createTestBot({ now: '2020-09-28T09:00:00+08:00', env: { API_TOKEN: 'tok-123' }, database: openDatabase(dbPath) });
    await recordTakeover(bot.db, '福源公寓', { company: '鑫安物业', startDate: '2020-09-20', phone: '13905321234' }, new Date('2020-09-27T02:00:00Z'));

    const port = await bot.runtime.listen(0, '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/report.xlsx?due=2020-10-01`, { headers: { authorization: 'Bearer tok-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const viaHttp = await readSheets(Buffer.from(await res.arrayBuffer()));
    expect(viaHttp.rows('调度表').find((r) => r[2] === '福源公寓')![9]).toBe('13905321234');
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/report.xlsx`)).status).toBe(401);

    const out = path.join(dir, 'out.xlsx');
    const saved = { ...process.env };
    process.env.DB_PATH = dbPath;
    process.env.BOT_NOW = '2020-09-28T09:00:00+08:00';
    let code: number;
    try {
      code = await cliCommands.report!(['--due', '2020-10-01', '--out', out]);
    } finally {
      process.env = saved;
    }
    expect(code).toBe(0);
    const viaCli = await readSheets(fs.readFileSync(out));
    expect(viaCli.rows('调度表').slice(0, 45)).toEqual(viaHttp.rows('调度表').slice(0, 45));
  });
});
